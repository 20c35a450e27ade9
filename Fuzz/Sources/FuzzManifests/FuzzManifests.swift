import Engine
import FuzzSupport
import Manifests

/// The YAML/JSON loader (libyaml events, the document splitter, positions) and the linter over what it loads:
/// any bytes give findings (a syntax error among them), never a crash or a hang.
private let linter = Linter(engine: Engine(policy: FuzzSupport.policy))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifests(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = FuzzSupport.bytes(data, size)
    let loaded = ManifestLoader.load(bytes, file: "fuzz.yaml")
    // Positions are worked out on first use, by a second walk over the bytes: ask for them.
    for object in loaded.objects { _ = object.position(of: .root) }
    _ = linter.lint([(name: "fuzz.yaml", bytes: bytes)])
    return 0
}
