import Engine

/// Keys and values that nearly every Kubernetes object hpaguard reads holds, as the API serves it: the strings the
/// API client's parser hands out made once (`JSONParser.KnownStrings`), and with the AdmissionReview's, the webhook's.
package enum KubernetesVocabulary {
    package static let objects: [String] = [
        "apiVersion", "kind", "uid", "group", "version", "resource", "name", "namespace",
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
        // HorizontalPodAutoscaler (autoscaling/v1, v2) and its targets
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
    ]

    /// A list's own members (`GET` of a collection).
    package static let lists: [String] = ["items", "continue", "remainingItemCount"]
}
