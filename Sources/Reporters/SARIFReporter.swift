import Engine
import Manifests

// TODO(#2): implemented by the reporters work.
public struct SARIFReporter: Reporter {
    public init() {}
    public func render(_ report: LintReport) -> String { JSONReporter().render(report) }
}
