// swift-tools-version:6.0
import PackageDescription

/// libFuzzer targets, one per way bytes enter hpaguard (scripts/fuzz.sh builds and runs them).
///
/// A package of its own so that `swift build` and `swift test` of hpaguard never see them: they link only with
/// `-sanitize=fuzzer`, whose libFuzzer brings the `main` each target lacks.
let engine = Target.Dependency.product(name: "Engine", package: "hpaguard")
let manifests = Target.Dependency.product(name: "Manifests", package: "hpaguard")

let package = Package(
    name: "hpaguard-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "hpaguard", path: ".."),
        // The webhook's logger, silenced in the AdmissionReview target (the same version the main package resolves).
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .target(name: "FuzzSupport", dependencies: [engine, manifests]),
        .executableTarget(name: "FuzzJSON", dependencies: [engine]),
        .executableTarget(name: "FuzzManifests", dependencies: ["FuzzSupport", engine, manifests]),
        .executableTarget(
            name: "FuzzAdmissionReview",
            dependencies: [
                "FuzzSupport", engine, manifests, .product(name: "Webhook", package: "hpaguard"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "FuzzPolicy", dependencies: ["FuzzSupport", engine, manifests]),
        .executableTarget(name: "FuzzCEL", dependencies: [.product(name: "CEL", package: "hpaguard")]),
    ]
)
