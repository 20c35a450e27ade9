/// Every rule hpaguard knows, in the order `hpaguard rules` lists them.
public enum RuleRegistry {
    public static let all: [any Rule.Type] = [
        // Loading and schema
        SyntaxErrorRule.self,
        DuplicateKeyRule.self,
        UnknownFieldRule.self,
        InvalidTypeRule.self,
        RemovedAPIVersionRule.self,
        ScaleTargetGroupRemovedRule.self,
        // API-server validation
        MaxBelowMinRule.self,
        ObjectMetadataRule.self,
        MinReplicasRangeRule.self,
        MaxReplicasRangeRule.self,
        ScaleToZeroMetricsRule.self,
        ScaleTargetRefRule.self,
        MetricSourceRule.self,
        MetricTargetRule.self,
        MetricTargetTypeIgnoredRule.self,
        MetricIdentifierRule.self,
        ContainerResourceNameRule.self,
        BehaviorBoundsRule.self,
        ToleranceNeedsGateRule.self,
        ConversionAnnotationRule.self,
        // Cross-object: the target workload, other scalers, disruption budgets
        TargetNotFoundRule.self,
        TargetNamespaceMismatchRule.self,
        TargetKindUnsupportedRule.self,
        TargetMissingRequestRule.self,
        ContainerResourceContainerRule.self,
        TargetReplicasSetRule.self,
        DuplicateScalersRule.self,
        DuplicateObjectRule.self,
        PDBBlocksDrainRule.self,
        // ML serving
        GPUTargetCPUScalingRule.self,
        MemoryMetricPreallocatingServerRule.self,
        GPUUtilizationMetricRule.self,
        TargetMissingProbeRule.self,
        ScaleDownBeforeModelLoadsRule.self,
        CPUMetricLongStartupRule.self,
        CounterAsGaugeRule.self,
        RenamedVLLMMetricRule.self,
        MetricTargetOutOfRangeRule.self,
        MinReplicasFloorRule.self,
        MinEqualsMaxRule.self,
        // ML scaling profiles (what mutation does)
        ScalingProfileRule.self,
        QueueMetricSuggestedRule.self,
        ProfileNotAppliedRule.self,
        UnknownProfileRule.self,
        FixRefusedRule.self,
        // Live: the HPA's status and events in the cluster (`hpaguard audit`)
        MetricsUnavailableRule.self,
        CannotScaleRule.self,
        PinnedAtMaxRule.self,
        ScaleUpThrottledRule.self,
        FlappingRule.self,
        ReplicasMismatchRule.self,
        NeverScaledRule.self,
        AuditIncompleteRule.self,
    ]

    private static let byID: [String: RuleDescription] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.description.id, $0.description) })

    public static func description(of id: String) -> RuleDescription? { byID[id] }
}
