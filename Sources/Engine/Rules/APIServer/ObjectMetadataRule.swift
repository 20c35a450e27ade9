struct ObjectMetadataRule: HPARule {
    /// `TotalAnnotationSizeLimitB` (apimachinery ValidateAnnotationsSize): keys and values, in bytes.
    static let totalAnnotationSizeLimit = 256 * 1024

    static let nameRequired = "metadata.name is required: name or generateName is required"

    static func invalid(_ field: String, _ value: String, _ problems: [String]) -> String {
        "\(field) \"\(value)\" is invalid: \(problems.joined(separator: "; "))"
    }

    static func annotationsTooLong(_ size: Int) -> String {
        """
        metadata.annotations take \(size) bytes in all (keys and values): Too long: must have at most \
        \(totalAnnotationSizeLimit) bytes (256 KiB)
        """
    }

    static let description = RuleDescription(
        id: "object-metadata",
        summary: "The HPA's name, namespace, labels or annotations break the API server's ObjectMeta rules",
        rationale: """
            Every object goes through the API server's ObjectMeta validation before anything else: the name (or \
            generateName prefix) must be a DNS-1123 subdomain of at most 253 lowercase letters, digits, '-' and \
            '.'; the namespace a DNS-1123 label; label and annotation keys qualified names (an optional DNS prefix \
            and '/', then at most 63 characters); label values at most 63 characters of [-A-Za-z0-9_.]; and all \
            annotations together at most 256 KiB. A violation fails the whole apply with 422 Invalid. Names built \
            from model names (LLM_Server, Llama-3.1) trip this often. A missing namespace is fine: kubectl fills it \
            in from the context.
            """,
        remediation: """
            Lowercase the name and replace '_' and other characters with '-'; shorten label values to 63 \
            characters of letters, digits, '-', '_' and '.'; move large data out of annotations.
            """,
        category: .apiServer,
        defaultSeverity: .error,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: llama-3.1-8b.inference
                  namespace: ml-serving
                  labels: {app.kubernetes.io/name: vllm, model: Llama-3.1_8B, empty: ""}
                  annotations: {Example.COM/Owner: ml-platform}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, maxReplicas: 4}
                """),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {generateName: vllm-}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, maxReplicas: 4}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  ↓name: LLM_Server
                  ↓namespace: ml.serving
                  labels:
                    ↓model/size/b: "8"
                    ↓model: Llama 3.1 8B
                  annotations:
                    ↓/owner: ml-platform
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, maxReplicas: 4}
                """),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                ↓metadata: {namespace: ml}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, maxReplicas: 4}
                """),
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {↓generateName: Vllm-}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, maxReplicas: 4}
                """),
        ]
    )

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        let metadata = hpa.metadata
        var violations: [Violation] = []
        let name = metadata["name"].decodedString
        let generateName = metadata["generateName"].decodedString
        if name == "", generateName == "" {
            violations.append(Violation(Self.nameRequired, atWritten: "/metadata/name"))
        }
        if let name, case let problems = NameValidation.dns1123Subdomain(name), !name.isEmpty, !problems.isEmpty {
            violations.append(Violation(Self.invalid("metadata.name", name, problems), atWritten: "/metadata/name"))
        }
        if let generateName, case let problems = NameValidation.dns1123SubdomainPrefix(generateName),
            !generateName.isEmpty, !problems.isEmpty
        {
            violations.append(Violation(
                Self.invalid("metadata.generateName", generateName, problems), atWritten: "/metadata/generateName"))
        }
        // A namespace left out is filled in by kubectl (or the request URL); only a written one is checked.
        if let namespace = metadata["namespace"].decodedString,
            case let problems = NameValidation.dns1123Label(namespace), !namespace.isEmpty, !problems.isEmpty
        {
            violations.append(Violation(
                Self.invalid("metadata.namespace", namespace, problems), atWritten: "/metadata/namespace"))
        }
        violations += labelViolations(metadata["labels"]?.objectValue ?? JSONObject())
        violations += annotationViolations(metadata["annotations"]?.objectValue ?? JSONObject())
        return violations
    }

    private func labelViolations(_ labels: JSONObject) -> [Violation] {
        var violations: [Violation] = []
        for member in labels {
            var pointer: JSONPointer { JSONPointer(tokens: ["metadata", "labels", member.key]) }
            let keyProblems = NameValidation.qualifiedName(member.key)
            if !keyProblems.isEmpty {
                violations.append(Violation(Self.invalid("label key", member.key, keyProblems), atWritten: pointer))
            }
            if let value = member.value.stringValue, case let problems = NameValidation.labelValue(value),
                !problems.isEmpty
            {
                violations.append(Violation(
                    Self.invalid("the value of label \(member.key)", value, problems), atWritten: pointer))
            }
        }
        return violations
    }

    private func annotationViolations(_ annotations: JSONObject) -> [Violation] {
        var violations: [Violation] = []
        var size = 0
        for member in annotations {
            // ValidateAnnotations lowercases the key first: case does not matter in annotation keys.
            let problems = NameValidation.qualifiedName(member.key.lowercasedIfNeeded())
            if !problems.isEmpty {
                violations.append(Violation(
                    Self.invalid("annotation key", member.key, problems),
                    atWritten: JSONPointer(tokens: ["metadata", "annotations", member.key])))
            }
            size += member.key.utf8.count + (member.value.stringValue?.utf8.count ?? 0)
        }
        if size > Self.totalAnnotationSizeLimit {
            violations.append(Violation(Self.annotationsTooLong(size), atWritten: "/metadata/annotations"))
        }
        return violations
    }
}
