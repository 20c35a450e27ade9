// swift-tools-version:6.0
import PackageDescription

/// What the webhook and its tests build on: HTTP server and TLS, the Kubernetes API client, lifecycle and logs.
let serverProducts: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio"),
    .product(name: "NIOExtras", package: "swift-nio-extras"),
    .product(name: "NIOSSL", package: "swift-nio-ssl"),
    .product(name: "AsyncHTTPClient", package: "async-http-client"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    .product(name: "Logging", package: "swift-log"),
]

let package = Package(
    name: "hpaguard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hpaguard", targets: ["hpaguard"]),
        .library(name: "Engine", targets: ["Engine"]),
        // For the fuzz package (Fuzz/), which builds against these with sanitizer flags.
        .library(name: "CEL", targets: ["CEL"]),
        .library(name: "Manifests", targets: ["Manifests"]),
        .library(name: "Webhook", targets: ["Webhook"]),
        .executable(name: "hpaguard-review-bench", targets: ["ReviewBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The webhook: HTTP server (SwiftNIO), TLS (swift-nio-ssl, BoringSSL inside), Kubernetes API client,
        // lifecycle, metrics. Hummingbird only serves the tests' stand-in Kubernetes API.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // libyaml from the system (Debian's libyaml-dev): the loader drives its event parser directly, so it gets
        // marks for every key and value, duplicate keys as findings and an alias budget (docs/development.md).
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // PCRE2 from the system (Debian's libpcre2-dev): CEL's `matches`, `find` and `findAll`.
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        // The Common Expression Language as a library of its own: nothing of hpaguard in it.
        .target(name: "CEL", dependencies: ["CPCRE2"]),
        // Custom rules and ValidatingAdmissionPolicies are CEL programs the engine runs.
        .target(name: "Engine", dependencies: ["CEL"]),
        // The HPA controller's algorithm over a load trace; depends on the engine only.
        .target(name: "Simulation", dependencies: ["Engine"]),
        .target(name: "Manifests", dependencies: ["Engine", "CLibYAML"]),
        .target(name: "Reporters", dependencies: ["Engine", "Manifests"]),
        // The Kubernetes API client (kubeconfig, in-cluster, verified TLS, paginated lists): the webhook's lookups
        // and the audit read the cluster through it.
        .target(name: "Cluster", dependencies: ["Engine", "Manifests"] + serverProducts),
        // `hpaguard audit`: reads the cluster (Cluster) and runs the engine and its live rules over it.
        .target(name: "Audit", dependencies: ["Engine", "Cluster"]),
        .target(
            name: "Webhook",
            dependencies: [
                "Engine", "Manifests", "Cluster", "Audit", .product(name: "Prometheus", package: "swift-prometheus"),
            ] + serverProducts
        ),
        .executableTarget(
            name: "hpaguard",
            dependencies: [
                "Engine", "Manifests", "Reporters", "Cluster", "Audit", "Webhook", "Simulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Not a test: the CPU cost of one AdmissionReview (parse, engine, answer, log line, metrics), HTTP aside.
        .executableTarget(
            name: "ReviewBench",
            dependencies: ["Engine", "Manifests", "Webhook", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/ReviewBench",
            exclude: ["callgrind.sh"]
        ),
        .target(name: "TestSupport", dependencies: ["Engine", "Manifests"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Manifests", "TestSupport"]),
        .testTarget(name: "CELTests", dependencies: ["CEL"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Engine", "Manifests"]),
        .testTarget(name: "ManifestsTests", dependencies: ["Manifests", "Engine", "TestSupport"]),
        .testTarget(name: "ReportersTests", dependencies: ["Reporters", "Engine", "Manifests"], exclude: ["Snapshots"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
        .testTarget(
            name: "AuditTests",
            dependencies: [
                "Audit", "Cluster", "Engine", "Manifests", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
            ] + serverProducts
        ),
        .testTarget(
            name: "WebhookTests",
            dependencies: [
                "Webhook", "Cluster", "Engine", "Manifests", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
            ] + serverProducts
        ),
        // Where users meet hpaguard: pre-commit, the GitHub Action, kustomize/Helm/Pulumi streams, the Pulumi policy
        // pack, completion and man page, each driven through its real client (scripts/install-test-tools.sh installs
        // them).
        .testTarget(name: "IntegrationTests", dependencies: ["TestSupport"]),
    ]
)
