import Engine
import FuzzSupport
import Manifests

/// The policy loader, and through custom rules the CEL compiler: any text loads or throws `PolicyError`; a policy
/// that loads lints an HPA and its Deployment.
private let hpa = FuzzSupport.hpa

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let policy = try? PolicyLoader.load(text: text, file: "fuzz.policy.yaml") else { return 0 }
    _ = Linter(engine: Engine(policy: policy)).lint([(name: "hpa.yaml", bytes: hpa)])
    return 0
}
