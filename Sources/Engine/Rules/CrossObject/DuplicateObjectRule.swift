/// Two objects of one run with the same API group, kind, namespace and name. The linter reports these: only it sees
/// every input at once (a cluster holds one object per name).
struct DuplicateObjectRule: Rule {
    static let description = RuleDescription(
        id: "duplicate-object",
        summary: "Another object of the run has the same kind, namespace and name",
        rationale: """
            The API server keeps one object per API group, kind, namespace and name: when a rendered stream or a set \
            of files holds two, whichever is applied last replaces the other, and which one that is depends on the \
            order of the files or the renderer. An HPA whose target is such a duplicate is checked against neither \
            (target-not-found stays silent too): the verdict would depend on a guess.
            """,
        remediation: """
            Keep one of them, rename one, or lint the sets that are applied separately (a kustomize base and its \
            overlays, two environments) in separate runs. Objects without a namespace count as one namespace.
            """,
        category: .crossObject,
        defaultSeverity: .warning,
        validExamples: [
            Example("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: team-a}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: team-b}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: settings, namespace: team-a}
                """),
            // Each object's own ignore annotation silences what is said about it.
            Example("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, annotations: {hpaguard.io/ignore: duplicate-object}}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, annotations: {hpaguard.io/ignore: duplicate-object}}
                """),
        ],
        invalidExamples: [
            Example("""
                ↓apiVersion: apps/v1
                kind: Deployment
                metadata: {name: vllm, namespace: llm}
                spec: {replicas: 1, template: {spec: {containers: [{name: vllm, image: vllm/vllm-openai}]}}}
                ---
                ↓apiVersion: apps/v1
                kind: Deployment
                metadata: {name: vllm, namespace: llm}
                spec: {template: {spec: {containers: [{name: vllm, image: vllm/vllm-openai, resources: {requests: {cpu: "4"}}}]}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm, namespace: llm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                  metrics:
                    - type: Resource
                      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                """),
        ]
    )

    static func message(_ object: ManifestObject, others: [ManifestObject]) -> String {
        let places = others.map { other in
            other.position(of: .root).map { "\(other.file):\($0.line)" } ?? other.file
        }
        return "\(object.reference.displayName) is also defined at \(places.joined(separator: ", ")); the one applied "
            + "last wins, so HPAs that target it are not checked against either"
    }
}

extension Engine {
    /// A `duplicate-object` finding at each of `objects` whose API group, kind, namespace and name another one shares.
    public func duplicateObjectFindings(_ objects: [ManifestObject]) -> [Finding] {
        // Positions, not objects: a lint run passes every object it read, and nearly none is a duplicate.
        var first: [InventoryResolver.Identity: Int] = [:]
        first.reserveCapacity(objects.count)
        var groups: [InventoryResolver.Identity: [Int]] = [:]
        for index in objects.indices {
            guard let identity = InventoryResolver.Identity(objects[index]) else { continue }
            if let earlier = first[identity] {
                groups[identity, default: [earlier]].append(index)
            } else {
                first[identity] = index
            }
        }
        return groups.values.flatMap { group in
            group.compactMap { index in
                let others = group.filter { $0 != index }.map { objects[$0] }
                let message = DuplicateObjectRule.message(objects[index], others: others)
                return finding(Violation(message, atWritten: .root), rule: DuplicateObjectRule.self, object: objects[index])
            }
        }
    }
}
