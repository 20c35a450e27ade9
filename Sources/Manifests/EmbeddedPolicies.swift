// Generated from policies/ by scripts/embed-policies.sh; a test checks that it matches. Do not edit by hand.
enum EmbeddedPolicies {
    static let defaultPolicy = #"""
        # hpaguard default policy: embedded in the binary, and the base every user policy is laid over.
        # A user policy names only what it changes, for example:
        #
        #   apiVersion: hpaguard.io/v1
        #   kind: Policy
        #   rules:
        #     min-replicas-floor: {severity: error, parameters: {minimum: 3}}
        #     target-replicas-set: false          # switch a rule off
        #   exemptions:
        #     - namespaces: ["dev-*"]
        #       rules: [min-replicas-floor]
        #
        # Severity contract: error is reserved for what the API server rejects and for what stops the HPA from
        # working at all. Everything else defaults to warning or info, so this policy never fails a manifest the API
        # server accepts and the HPA controller can act on.
        apiVersion: hpaguard.io/v1
        kind: Policy
        settings:
          # The HPAScaleToZero feature gate (alpha, off by default through 1.37).
          scaleToZero: false
        rules:
          # Loading and schema
          syntax-error: {severity: error}
          duplicate-key: {severity: error}
          unknown-field: {severity: error}
          invalid-type: {severity: error}
          removed-api-version: {severity: error}
          # API-server validation
          max-below-min: {severity: error}
          object-metadata: {severity: error}
          min-replicas-range: {severity: error}
          max-replicas-range: {severity: error}
          scale-to-zero-metrics: {severity: error}
          scale-target-ref: {severity: error}
          metric-source: {severity: error}
          metric-target: {severity: error}
          metric-identifier: {severity: error}
          container-resource-name: {severity: error}
          behavior-bounds: {severity: error}
          tolerance-needs-gate: {severity: info}
          conversion-annotation: {severity: warning}
          # Cross-object: the target workload, other scalers, disruption budgets
          # ML serving
        exemptions: []
        """#

    /// Profile files by name (policies/profiles/NAME.yaml).
    static let profiles: [String: String] = [:]
}
