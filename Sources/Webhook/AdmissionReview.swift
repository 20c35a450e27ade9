import Cluster
import Engine
import Foundation

/// The parts of an `admission.k8s.io/v1` AdmissionReview request that hpaguard reads.
///
/// Shape: the `AdmissionReview` type of k8s.io/api `admission/v1/types.go`, and the webhook contract of the Kubernetes
/// docs' "Dynamic Admission Control" page (`extensible-admission-controllers.md` in kubernetes/website). Everything
/// else in the request (options, resource; userInfo unless a custom rule reads it) is ignored; unknown fields are
/// allowed, as the API server may add some.
public struct AdmissionRequest: Sendable {
    public enum Operation: String, Sendable, CaseIterable {
        case create = "CREATE", update = "UPDATE", delete = "DELETE", connect = "CONNECT"
    }

    public var uid: String
    public var operation: Operation
    public var namespace: String?
    public var name: String?
    public var subResource: String?
    /// `kind` of the object as sent ("autoscaling/v2 HorizontalPodAutoscaler").
    public var kind: String
    /// Null (nil) for DELETE.
    public var object: JSONValue?
    /// Null (nil) for CREATE and CONNECT; kept as bytes until a review reads it.
    public var oldObject: DeferredObject?
    public var dryRun: Bool
    /// `request.userInfo`, decoded only when a custom rule reads it (else null).
    public var userInfo: JSONValue = .null
}

/// An object of a request checked as JSON with the rest of the body but built only when a review reads it: the
/// stored object of an UPDATE, as large as the object under review, read only to see whether a denied error is
/// already stored and by custom rules that name `oldObject`.
public struct DeferredObject: Sendable {
    let body: [UInt8]
    /// The object's bytes in `body`, from `{` to `}`.
    let range: Range<Int>
    /// What of it is left out (`AdmissionReview.Reading`).
    let unread: JSONParser.UnreadMembers

    /// The object, built as `request.object` is; nil only if its bytes, checked with the whole body, did not parse
    /// on their own, which they always do.
    public func decode() -> JSONValue? {
        var remembered: [Range<Int>?] = []
        return try? JSONParser.parse(
            body[range], leavingOut: unread, knownStrings: AdmissionReview.knownStrings, remembering: &remembered)
    }
}

/// A body that is not an AdmissionReview v1: answered with HTTP 400 and this message.
public struct AdmissionReviewError: Error, Sendable, CustomStringConvertible {
    public let description: String
    /// The request's uid when the body is JSON that has one, for the log line.
    public var uid: String?
    init(_ description: String) { self.description = description }
}

/// Decodes and encodes AdmissionReview v1.
public enum AdmissionReview {
    public static let apiVersion = "admission.k8s.io/v1"

    /// What of a request is built: what the built-in rules read, and what custom rules name besides.
    ///
    /// The rest is checked as JSON but not built: the request's options and resource and request kinds (nothing
    /// reads them), and unless a custom rule reaches them, `request.userInfo` and the objects' `metadata.managedFields`
    /// and `status` (no built-in rule reads them in a review). `request.oldObject` is not built either, but its place
    /// is kept (`DeferredObject`).
    public struct Reading: Sendable {
        /// Parts of an object that only custom rules read.
        public static let optionalParts: [[String]] = [["metadata", "managedFields"], ["status"]]

        /// `request.userInfo`.
        public let userInfo: Bool
        /// Of `optionalParts`, those built in `request.object`, and in `request.oldObject`.
        public let objectParts: [[String]]
        public let oldObjectParts: [[String]]
        /// What a parse leaves out: made once, as every review parses with it.
        let unread: JSONParser.UnreadMembers
        let unreadInOldObject: JSONParser.UnreadMembers

        public init(userInfo: Bool = false, objectParts: [[String]] = [], oldObjectParts: [[String]] = []) {
            self.userInfo = userInfo
            self.objectParts = objectParts
            self.oldObjectParts = oldObjectParts
            let neverRead: [[String]] = [
                ["request", "options"], ["request", "resource"], ["request", "requestKind"],
                ["request", "requestResource"], ["request", "requestSubResource"],
            ]
            let objectUnread = Self.optionalParts.filter { !objectParts.contains($0) }.map { ["request", "object"] + $0 }
            unread = JSONParser.UnreadMembers(
                neverRead + (userInfo ? [] : [["request", "userInfo"]]) + objectUnread,
                remembering: [["request", "oldObject"]])
            unreadInOldObject = JSONParser.UnreadMembers(Self.optionalParts.filter { !oldObjectParts.contains($0) })
        }

        /// What the custom rules of `engine` read.
        public init(engine: Engine) {
            self.init(
                userInfo: engine.customRulesReadUserInfo,
                objectParts: Self.optionalParts.filter { engine.customRulesReadObject(below: $0) },
                oldObjectParts: Self.optionalParts.filter { engine.customRulesReadObject(below: $0, old: true) })
        }

        /// Only what the built-in rules read.
        public static let builtIn = Reading()
    }

    /// What a review that no custom rule widens leaves out.
    static var unreadMembers: JSONParser.UnreadMembers { Reading.builtIn.unread }

    /// The strings of nearly every review of an HPA: the AdmissionReview's (k8s.io/api admission/v1/types.go) and
    /// those of the objects in it.
    static let knownStrings = JSONParser.KnownStrings(
        [
            "request", "response", "subResource", "requestKind", "requestResource", "requestSubResource", "operation",
            "userInfo", "username", "groups", "extra", "object", "oldObject", "dryRun", "options", "fieldManager",
            "fieldValidation", "CREATE", "UPDATE", "DELETE", "CONNECT", "admission.k8s.io/v1", "AdmissionReview",
            "meta.k8s.io/v1", "CreateOptions", "UpdateOptions", "DeleteOptions", "kubectl-client-side-apply",
            "kubectl", "kubectl-edit", "kubectl-patch", "Strict", "Warn", "Ignore", "system:masters",
            "system:authenticated", "kubernetes-admin",
        ] + KubernetesVocabulary.objects)

    /// Parses a request body (bounded by `JSONParser`'s depth limit; the caller bounds the size).
    ///
    /// - Parameter reading: what to build beyond what the built-in rules read.
    public static func parseRequest(_ body: [UInt8], reading: Reading = .builtIn) throws(AdmissionReviewError)
        -> AdmissionRequest
    {
        let root: JSONValue
        var deferredRanges: [Range<Int>?] = []
        do {
            root = try JSONParser.parse(
                body[...],
                leavingOut: reading.unread,
                knownStrings: knownStrings, remembering: &deferredRanges)
        } catch {
            throw AdmissionReviewError("the body is not valid JSON: \(error)")
        }
        do {
            return try request(
                in: root, body: body, oldObjectRange: deferredRanges[0], oldObjectUnread: reading.unreadInOldObject)
        } catch var error {
            error.uid = root["request"]?["uid"]?.stringValue
            throw error
        }
    }

    private static func request(
        in root: JSONValue, body: [UInt8], oldObjectRange: Range<Int>?, oldObjectUnread: JSONParser.UnreadMembers
    ) throws(AdmissionReviewError) -> AdmissionRequest {
        guard root.objectValue != nil else { throw AdmissionReviewError("the body is not a JSON object") }
        guard root["kind"]?.stringValue == "AdmissionReview" else {
            throw AdmissionReviewError("kind must be AdmissionReview")
        }
        guard let version = root["apiVersion"]?.stringValue, version == apiVersion else {
            throw AdmissionReviewError(
                "apiVersion must be \(apiVersion) (got \(root["apiVersion"]?.serialized() ?? "none")); "
                    + "set admissionReviewVersions: [v1] in the webhook configuration")
        }
        guard let request = root["request"], request.objectValue != nil else {
            throw AdmissionReviewError("the AdmissionReview has no request object")
        }
        guard let uid = request["uid"]?.stringValue, !uid.isEmpty else {
            throw AdmissionReviewError("request.uid is missing or not a string")
        }
        guard let operationText = request["operation"]?.stringValue,
            let operation = AdmissionRequest.Operation(rawValue: operationText)
        else {
            throw AdmissionReviewError("request.operation must be CREATE, UPDATE, DELETE or CONNECT")
        }
        let object = nonNull(request["object"])
        if let object, object.objectValue == nil { throw AdmissionReviewError("request.object is not a JSON object") }
        // Checked as JSON already: its first byte tells an object from null and the rest.
        var oldObject: DeferredObject?
        if let range = oldObjectRange {
            switch body[range.lowerBound] {
            case UInt8(ascii: "{"):
                oldObject = DeferredObject(body: body, range: range, unread: oldObjectUnread)
            case UInt8(ascii: "n"): oldObject = nil
            default: throw AdmissionReviewError("request.oldObject is not a JSON object")
            }
        }
        if operation == .create || operation == .update, object == nil {
            throw AdmissionReviewError("request.object is missing for \(operation.rawValue)")
        }
        let kindValue = request["kind"]
        let group = kindValue?["group"]?.stringValue ?? ""
        let kind = [group.isEmpty ? nil : group, kindValue?["version"]?.stringValue].compactMap { $0 }.joined(separator: "/")
            + " " + (kindValue?["kind"]?.stringValue ?? "")
        return AdmissionRequest(
            uid: uid, operation: operation, namespace: nonEmpty(request["namespace"]?.stringValue),
            name: nonEmpty(request["name"]?.stringValue), subResource: nonEmpty(request["subResource"]?.stringValue),
            kind: kind, object: object, oldObject: oldObject, dryRun: request["dryRun"]?.boolValue ?? false,
            userInfo: request["userInfo"] ?? .null)
    }

    /// An AdmissionReview v1 answer.
    ///
    /// - Parameters:
    ///   - status: for a denial, the `metav1.Status` code and message returned to the user.
    ///   - patch: RFC 6902 operations; encoded as base64 with `patchType: JSONPatch`, absent when nil.
    public static func response(
        uid: String, allowed: Bool, status: (code: Int, reason: String, message: String)? = nil,
        warnings: [String] = [], patch: [UInt8]? = nil
    ) -> [UInt8] {
        // Written by hand, as bytes: this is the one answer every review gets, and the hot path of the webhook.
        var out: [UInt8] = []
        out.reserveCapacity(
            256 + (status?.message.utf8.count ?? 0) + warnings.count * 128 + (patch?.count ?? 0) * 4 / 3)
        JSONText.append("{\"apiVersion\":\"", to: &out)
        out.append(contentsOf: apiVersion.utf8)
        JSONText.append("\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":", to: &out)
        JSONText.appendString(uid, to: &out)
        JSONText.append(allowed ? ",\"allowed\":true" : ",\"allowed\":false", to: &out)
        if let status {
            JSONText.append(",\"status\":{\"status\":\"Failure\",\"code\":", to: &out)
            out.append(contentsOf: String(status.code).utf8)
            JSONText.append(",\"reason\":", to: &out)
            JSONText.appendString(status.reason, to: &out)
            JSONText.append(",\"message\":", to: &out)
            JSONText.appendString(status.message, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        if !warnings.isEmpty {
            JSONText.append(",\"warnings\":[", to: &out)
            for (index, warning) in warnings.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendString(warning, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        if let patch {
            JSONText.append(",\"patchType\":\"JSONPatch\",\"patch\":\"", to: &out)
            out.append(contentsOf: Data(patch).base64EncodedString().utf8)
            out.append(UInt8(ascii: "\""))
        }
        JSONText.append("}}", to: &out)
        return out
    }

    private static func nonNull(_ value: JSONValue?) -> JSONValue? {
        guard let value, !value.isNull else { return nil }
        return value
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}

/// A `metav1.Status` body for requests that are not reviews (400, 413, 415, 503).
func statusBody(code: Int, reason: String, message: String) -> [UInt8] {
    let status = JSONValue.object(JSONObject([
        ("kind", "Status"), ("apiVersion", "v1"), ("status", "Failure"), ("message", .string(message)),
        ("reason", .string(reason)), ("code", .int(Int64(code))),
    ]))
    return Array(status.serialized().utf8)
}
