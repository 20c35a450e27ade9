extension JSONParser {
    /// Keys and values that nearly every AdmissionReview of an HPA holds, made into `String`s once: the parser hands
    /// out these instead of making a new string for the same bytes (a table lookup in place of a validated copy,
    /// and for the longer ones a shared buffer in place of an allocation).
    ///
    /// Only bytes that are exactly one of these strings (ASCII, no escape) are looked up; anything else is made as
    /// before, so the parsed value is the same either way.
    struct KnownStrings: Sendable {
        static let shared = KnownStrings([
            // AdmissionReview v1 (k8s.io/api admission/v1/types.go)
            "apiVersion", "kind", "request", "response", "uid", "group", "version", "resource", "subResource",
            "requestKind", "requestResource", "requestSubResource", "name", "namespace", "operation", "userInfo",
            "username", "groups", "extra", "object", "oldObject", "dryRun", "options", "fieldManager",
            "fieldValidation", "CREATE", "UPDATE", "DELETE", "CONNECT", "admission.k8s.io/v1", "AdmissionReview",
            "meta.k8s.io/v1", "CreateOptions", "UpdateOptions", "DeleteOptions", "kubectl-client-side-apply",
            "kubectl", "kubectl-edit", "kubectl-patch", "Strict", "Warn", "Ignore", "system:masters",
            "system:authenticated", "kubernetes-admin",
            // ObjectMeta and managedFields
            "metadata", "generateName", "creationTimestamp", "deletionTimestamp", "resourceVersion", "generation",
            "labels", "annotations", "ownerReferences", "finalizers", "managedFields", "manager", "time",
            "fieldsType", "fieldsV1", "FieldsV1", "Update", "Apply", "subresource", "status", ".", "f:metadata",
            "f:annotations", "f:labels", "f:spec", "f:status", "f:name", "f:namespace", "f:ownerReferences",
            "f:kubectl.kubernetes.io/last-applied-configuration", "kubectl.kubernetes.io/last-applied-configuration",
            "app", "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/part-of",
            "app.kubernetes.io/component", "app.kubernetes.io/managed-by", "app.kubernetes.io/version",
            "f:app.kubernetes.io/name", "f:app.kubernetes.io/instance", "f:app.kubernetes.io/part-of",
            "f:app.kubernetes.io/component", "f:app.kubernetes.io/managed-by", "f:app.kubernetes.io/version",
            "f:app", "team",
            // HorizontalPodAutoscaler (autoscaling/v1, v2)
            "autoscaling", "autoscaling/v1", "autoscaling/v2", "v1", "v2", "HorizontalPodAutoscaler",
            "horizontalpodautoscalers", "spec", "scaleTargetRef", "minReplicas", "maxReplicas",
            "targetCPUUtilizationPercentage", "metrics", "behavior", "scaleUp", "scaleDown", "policies", "type",
            "value", "periodSeconds", "selectPolicy", "stabilizationWindowSeconds", "tolerance", "target",
            "averageUtilization", "averageValue", "metric", "selector", "matchLabels", "matchExpressions",
            "describedObject", "container", "pods", "external", "containerResource", "Resource", "Pods", "Object",
            "External", "ContainerResource", "Utilization", "AverageValue", "Value", "Percent", "Max", "Min",
            "Disabled", "cpu", "memory", "apps/v1", "apps", "Deployment", "StatefulSet", "ReplicaSet",
            "currentReplicas", "desiredReplicas", "currentMetrics", "conditions", "lastScaleTime",
            "f:scaleTargetRef", "f:minReplicas", "f:maxReplicas", "f:metrics", "f:behavior", "f:scaleUp",
            "f:scaleDown", "f:policies", "f:selectPolicy", "f:stabilizationWindowSeconds",
            "f:targetCPUUtilizationPercentage",
        ])

        /// Where an entry's bytes are in `bytes`, and its hash: plain values, compared without touching a string.
        private struct Entry: Sendable {
            let hash: UInt64
            let offset: Int
            let count: Int
        }

        private let strings: [String]
        private let entries: [Entry]
        /// Every entry's UTF-8, back to back.
        private let bytes: [UInt8]
        /// Open addressing: an index into `entries`, or -1.
        private let slots: [Int32]
        private let maxLength: Int
        private static let slotCount = 1024

        private init(_ strings: [String]) {
            var bytes: [UInt8] = []
            var entries: [Entry] = []
            var slots = [Int32](repeating: -1, count: Self.slotCount)
            for string in strings {
                let utf8 = Array(string.utf8)
                let hash = utf8.withUnsafeBufferPointer(Self.hash)
                var slot = Int(truncatingIfNeeded: hash) & (Self.slotCount - 1)
                while slots[slot] >= 0 {
                    let other = entries[Int(slots[slot])]
                    let otherBytes = Array(bytes[other.offset..<(other.offset + other.count)])
                    precondition(otherBytes != utf8, "\(string) listed twice")
                    slot = (slot + 1) & (Self.slotCount - 1)
                }
                slots[slot] = Int32(entries.count)
                entries.append(Entry(hash: hash, offset: bytes.count, count: utf8.count))
                bytes += utf8
            }
            self.strings = strings
            self.entries = entries
            self.bytes = bytes
            self.slots = slots
            maxLength = entries.map(\.count).max() ?? 0
        }

        /// The known string spelled by `candidate`, if any.
        func string(for candidate: UnsafeBufferPointer<UInt8>) -> String? {
            guard let base = candidate.baseAddress, candidate.count <= maxLength else { return nil }
            let hash = Self.hash(candidate)
            let found: Int? = entries.withUnsafeBufferPointer { entries in
                slots.withUnsafeBufferPointer { slots in
                    bytes.withUnsafeBufferPointer { bytes in
                        var slot = Int(truncatingIfNeeded: hash) & (Self.slotCount - 1)
                        while case let index = Int(slots[slot]), index >= 0 {
                            let entry = entries[index]
                            if entry.hash == hash, entry.count == candidate.count, let known = bytes.baseAddress,
                                Self.equal(known + entry.offset, base, count: entry.count)
                            {
                                return index
                            }
                            slot = (slot + 1) & (Self.slotCount - 1)
                        }
                        return nil
                    }
                }
            }
            return found.map { strings[$0] }
        }

        private static func equal(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, count: Int) -> Bool {
            var offset = 0
            while offset + 8 <= count {
                let left = UnsafeRawPointer(lhs + offset).loadUnaligned(as: UInt64.self)
                guard left == UnsafeRawPointer(rhs + offset).loadUnaligned(as: UInt64.self) else { return false }
                offset += 8
            }
            while offset < count {
                guard lhs[offset] == rhs[offset] else { return false }
                offset += 1
            }
            return true
        }

        /// The length and the first and last eight bytes (fewer for short strings), mixed: enough to tell these
        /// strings apart, without reading all of a long one.
        private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
            guard let base = bytes.baseAddress else { return 0 }
            var head: UInt64 = 0
            var tail: UInt64 = 0
            if bytes.count >= 8 {
                head = UnsafeRawPointer(base).loadUnaligned(as: UInt64.self)
                tail = UnsafeRawPointer(base + bytes.count - 8).loadUnaligned(as: UInt64.self)
            } else {
                for byte in bytes { head = head << 8 | UInt64(byte) }
            }
            var hash = (head ^ (tail &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(bytes.count)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            return hash
        }
    }
}
