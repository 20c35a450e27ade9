/// `ValidateCrossVersionObjectReference` (pkg/apis/autoscaling/validation): `spec.scaleTargetRef`, and the
/// `describedObject` of an Object metric, which may name a core-group object.
enum ObjectReferenceValidation {
    /// Groups of the workloads people scale most, for the "write apps/v1" hint.
    static let knownGroups: [String: String] = [
        "Deployment": "apps/v1", "StatefulSet": "apps/v1", "ReplicaSet": "apps/v1",
    ]

    static func pathSegmentMessage(_ path: String, _ value: String, _ problems: [String]) -> String {
        "\(path) \"\(value)\" is invalid: \(problems.joined(separator: ", ")) (it is one segment of a REST path)"
    }

    static func groupVersionMessage(_ path: String, _ value: String) -> String {
        "\(path) \"\(value)\" is invalid: unexpected GroupVersion string: \(value) (write group/version, with one '/')"
    }

    static func missingGroupMessage(_ path: String, _ value: String, kind: String) -> String {
        let written = value.isEmpty ? "is empty" : "\"\(value)\" has no group"
        let hint = knownGroups[kind].map { "; write \($0)" } ?? ""
        return """
            \(path) \(written): apiVersion must specify API group (only kind ReplicationController lives in the core \
            group)\(hint). The API server rejects this since Kubernetes 1.34; older ones accept it and the HPA then \
            cannot find its target
            """
    }

    /// The violations of the reference at `pointer` (internal), which is made only for a violation.
    /// `allowEmptyGroup` is the describedObject case.
    static func violations(
        of reference: JSONValue?, at pointer: @autoclosure () -> JSONPointer, in hpa: HPA, allowEmptyGroup: Bool
    ) -> [Violation] {
        var violations = ["kind", "name"].compactMap { key in
            pathSegmentViolation(reference?[key], at: pointer() / key, in: hpa) { "\($0) is required" }
        }
        let apiVersionField = reference?["apiVersion"]
        let kindField = reference?["kind"]
        guard let apiVersion = apiVersionField.decodedString, let kind = kindField.decodedString else {
            return violations
        }
        let parsed = APIVersion(apiVersion)
        if !parsed.isValid {
            violations.append(hpa.violation(at: pointer() / "apiVersion") { groupVersionMessage($0, apiVersion) })
        } else if !allowEmptyGroup, parsed.group.isEmpty, kind != "ReplicationController" {
            violations.append(
                hpa.violation(at: pointer() / "apiVersion") { missingGroupMessage($0, apiVersion, kind: kind) })
        }
        return violations
    }

    /// A name that is required and must be a path segment (`IsValidPathSegmentName`): reference kinds and names,
    /// metric names. nil when it is fine, or not a string (then decoding fails, which `invalid-type` reports).
    /// `pointer` is made only for a violation.
    static func pathSegmentViolation(
        _ field: JSONValue?, at pointer: @autoclosure () -> JSONPointer, in hpa: HPA, required: (String) -> String
    ) -> Violation? {
        guard let value = field.decodedString else { return nil }
        if value.isEmpty { return hpa.violation(at: pointer(), required) }
        let problems = NameValidation.pathSegment(value)
        return problems.isEmpty ? nil : hpa.violation(at: pointer()) { pathSegmentMessage($0, value, problems) }
    }
}
