import Engine
import Testing
@testable import TestSupport

/// The example harness must be able to fail: a marker in the wrong place, a missing marker, or an unexpected
/// finding are each reported.
@Suite("Rule verifier")
struct RuleVerifierTests {
    static let hpa = """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 5
          MARKmaxReplicas: 2
        """

    @Test func markerAtTheFindingPasses() {
        let outcome = RuleVerifier.verify(Example(Self.hpa.replacing("MARK", with: "↓")), rule: "max-below-min", expectingFindings: true)
        #expect(outcome.problems.isEmpty)
    }

    @Test func markerElsewhereFails() {
        let moved = Self.hpa.replacing("MARK", with: "").replacing("  minReplicas", with: "  ↓minReplicas")
        let outcome = RuleVerifier.verify(Example(moved), rule: "max-below-min", expectingFindings: true)
        #expect(outcome.problems.count == 2, "one missing finding, one unexpected finding")
    }

    @Test func validExampleWithAFindingFails() {
        let outcome = RuleVerifier.verify(Example(Self.hpa.replacing("MARK", with: "")), rule: "max-below-min", expectingFindings: false)
        #expect(!outcome.problems.isEmpty)
    }

    @Test func markersKeepColumnsOfTheTextWithoutThem() {
        let (text, markers) = RuleVerifier.stripMarkers("a: 1\n  ↓b: ↓2\n")
        #expect(text == "a: 1\n  b: 2\n")
        #expect(markers == [SourcePosition(line: 2, column: 3), SourcePosition(line: 2, column: 6)])
    }
}
