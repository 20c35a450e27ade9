import Engine
import Manifests

/// What the targets share: the policy they lint with, and one HPA to check a fuzzed policy against.
public enum FuzzSupport {
    /// The default policy with custom rules that read every binding a review offers (`request.userInfo`,
    /// `oldObject`, `namespaceObject`, `target`), so those paths run too.
    public static let policy: Policy = {
        do {
            return try PolicyLoader.load(text: policyText, file: "fuzz-policy.yaml")
        } catch {
            preconditionFailure("the fuzz policy must load: \(error)")
        }
    }()

    static let policyText = """
        apiVersion: hpaguard.io/v1
        kind: Policy
        customRules:
          - id: fuzz-request
            severity: error
            summary: reads the request
            matchConditions:
              - {name: named, expression: "has(object.metadata.name)"}
            variables:
              - {name: user, expression: "request.userInfo.?username.orValue('')"}
            validations:
              - expression: "variables.user != 'denied' && request.operation != 'CONNECT'"
                messageExpression: "'user ' + variables.user + ' on ' + string(object.metadata.name)"
                fieldPath: spec.minReplicas
          - id: fuzz-transition
            severity: warning
            summary: reads the old object, the namespace and the target
            validations:
              - expression: >-
                  oldObject == null || !has(oldObject.spec) || !has(object.spec.maxReplicas)
                  || object.spec.maxReplicas >= oldObject.spec.maxReplicas
                message: maxReplicas went down
              - expression: >-
                  namespaceObject == null
                  || namespaceObject.metadata.?labels[?'tier'].orValue('') != 'frozen'
                message: frozen namespace
              - expression: "target == null || !has(target.spec.replicas) || target.spec.replicas <= 1000"
                message: large target
        """

    /// An HPA that every rule reads something of: a fuzzed policy is checked against it.
    public static let hpa = Array(
        """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: prod, labels: {tier: batch}}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 1
          maxReplicas: 40
          metrics:
            - type: Resource
              resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
          behavior:
            scaleDown: {stabilizationWindowSeconds: 0}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: prod}
        spec:
          replicas: 3
          template:
            spec:
              containers:
                - name: web
                  resources: {requests: {cpu: 250m, memory: 1Gi}, limits: {nvidia.com/gpu: 1}}
        """.utf8)

    /// The input as an array (libFuzzer's buffer is valid only during the call).
    public static func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
        Array(UnsafeBufferPointer(start: data, count: size))
    }
}
