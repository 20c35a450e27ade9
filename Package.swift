// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "hpaguard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hpaguard", targets: ["hpaguard"]),
        .library(name: "Engine", targets: ["Engine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // libyaml from the system (Debian's libyaml-dev): the loader drives its event parser directly, so it gets
        // marks for every key and value, duplicate keys as findings and an alias budget (see README).
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "Engine"),
        .target(name: "Manifests", dependencies: ["Engine", "CLibYAML"]),
        .target(name: "Reporters", dependencies: ["Engine", "Manifests"]),
        .executableTarget(
            name: "hpaguard",
            dependencies: [
                "Engine", "Manifests", "Reporters",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", dependencies: ["Engine", "Manifests"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Manifests", "TestSupport"]),
        .testTarget(name: "ManifestsTests", dependencies: ["Manifests", "Engine"]),
        .testTarget(name: "ReportersTests", dependencies: ["Reporters", "Engine", "Manifests"], exclude: ["Snapshots"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
        // Where users meet hpaguard: pre-commit, the GitHub Action, kustomize/Helm/Pulumi streams, the Pulumi policy
        // pack, completion and man page, each driven through its real client (see .ci/run for the installs).
        .testTarget(name: "IntegrationTests"),
    ]
)
