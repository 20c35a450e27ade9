/// Model servers hpaguard recognises on a target, from container images and command lines.
public enum ModelServer: String, Sendable, CaseIterable, Hashable {
    case vllm, tgi, sglang, tensorrtLLM = "tensorrt-llm", lmdeploy, triton, torchserve, mlserver
    case tensorflowServing = "tensorflow-serving", tei, ollama, llamaCpp = "llama-cpp", jetstream

    /// Substrings of an image repository (lowercased, registry and tag stripped) that identify the server.
    private var imageMarkers: [String] {
        switch self {
        case .vllm: return ["vllm"]
        case .tgi: return ["text-generation-inference", "/tgi", "tgi-"]
        case .sglang: return ["sglang"]
        case .tensorrtLLM: return ["tensorrt-llm", "tensorrtllm", "trtllm"]
        case .lmdeploy: return ["lmdeploy"]
        case .triton: return ["tritonserver", "triton-inference-server", "/triton"]
        case .torchserve: return ["torchserve"]
        case .mlserver: return ["mlserver"]
        case .tensorflowServing: return ["tensorflow/serving", "tensorflow-serving", "tf-serving"]
        case .tei: return ["text-embeddings-inference"]
        case .ollama: return ["ollama"]
        case .llamaCpp: return ["llama.cpp", "llama-cpp", "llamacpp"]
        case .jetstream: return ["jetstream"]
        }
    }

    /// Words of a command line that identify the server.
    private var commandMarkers: [String] {
        switch self {
        case .vllm: return ["vllm.entrypoints", "vllm serve", "vllm"]
        case .tgi: return ["text-generation-launcher"]
        case .sglang: return ["sglang.launch_server"]
        case .tensorrtLLM: return ["trtllm-serve"]
        case .lmdeploy: return ["lmdeploy serve"]
        case .triton: return ["tritonserver"]
        case .torchserve: return ["torchserve"]
        case .mlserver: return ["mlserver start"]
        case .tensorflowServing: return ["tensorflow_model_server"]
        case .tei: return ["text-embeddings-router"]
        case .ollama: return ["ollama serve"]
        case .llamaCpp: return ["llama-server"]
        case .jetstream: return ["jetstream"]
        }
    }

    /// Servers that pre-allocate accelerator memory and never give it back.
    public var preallocatesMemory: Bool { [.vllm, .tgi, .sglang, .tensorrtLLM, .lmdeploy, .jetstream].contains(self) }

    /// The servers `container` runs. Called for every HPA's target by several rules, so it searches bytes
    /// rather than going through generic `String.contains`.
    public static func detect(in container: Container) -> Set<ModelServer> {
        var repository = Array(container.image.utf8).map(\.asciiLowercased)
        if let at = repository.firstIndex(of: UInt8(ascii: "@")) { repository.removeSubrange(at...) }
        if let colon = repository.lastIndex(of: UInt8(ascii: ":")), !repository[colon...].contains(UInt8(ascii: "/")) {
            repository.removeSubrange(colon...)
        }
        var command: [UInt8] = []
        for (index, word) in container.args.enumerated() {
            if index > 0 { command.append(UInt8(ascii: " ")) }
            command += word.utf8.map(\.asciiLowercased)
        }
        var found: Set<ModelServer> = []
        for markers in markerBytes
        where markers.image.contains(where: { repository.containsBytes($0) })
            || markers.command.contains(where: { command.containsBytes($0) })
        {
            found.insert(markers.server)
        }
        return found
    }

    /// Every server's markers as bytes, in a list walked in order (no lookup per server).
    private static let markerBytes: [(server: ModelServer, image: [[UInt8]], command: [[UInt8]])] = allCases.map {
        ($0, $0.imageMarkers.map { Array($0.utf8) }, $0.commandMarkers.map { Array($0.utf8) })
    }
}

extension Array where Element == UInt8 {
    /// Plain substring search; the needles are a few bytes long (model-server markers, a rendered stream's
    /// `# Source: ` comment).
    package func containsBytes(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        let first = needle[0]
        var index = 0
        let last = count - needle.count
        while index <= last {
            if self[index] == first {
                var matched = 1
                while matched < needle.count, self[index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return true }
            }
            index += 1
        }
        return false
    }
}

/// Extended resources that are accelerators.
public enum Accelerator {
    static let exactNames: Set<String> = ["nvidia.com/gpu", "amd.com/gpu", "google.com/tpu", "habana.ai/gaudi", "intel.com/gpu"]
    static let prefixes = ["nvidia.com/mig-", "aws.amazon.com/neuron", "gpu.intel.com/", "cloud-tpus.google.com/"]

    public static func isAccelerator(_ resource: String) -> Bool {
        exactNames.contains(resource) || prefixes.contains { resource.hasPrefix($0) }
    }

    /// The accelerator resources a container requests (requests or limits; extended resources need both equal).
    public static func requested(by container: Container) -> [String] {
        var names: [String] = []
        for key in ["requests", "limits"] {
            for member in container.value["resources"]?[key]?.objectValue ?? JSONObject()
            where isAccelerator(member.key) && !names.contains(member.key) {
                if let quantity = Quantity(member.value), quantity.value > 0 { names.append(member.key) }
            }
        }
        return names
    }
}

extension Workload {
    public var requestsAccelerator: Bool { containers.contains { !Accelerator.requested(by: $0).isEmpty } }

    /// The longest startupProbe budget of its serving containers: initialDelaySeconds + failureThreshold ×
    /// periodSeconds, with the API's defaults (0, 3, 10).
    public var startupBudgetSeconds: Int64? {
        containers.compactMap { container -> Int64? in
            guard let probe = container.value["startupProbe"], probe.objectValue != nil else { return nil }
            let delay = probe["initialDelaySeconds"]?.integerValue ?? 0
            let failures = probe["failureThreshold"]?.integerValue ?? 3
            let period = probe["periodSeconds"]?.integerValue ?? 10
            // The API's fields are int32, but a linted file may hold any integer: past Int64, as long as can be.
            let (product, productOverflows) = failures.multipliedReportingOverflow(by: period)
            let (budget, sumOverflows) = delay.addingReportingOverflow(product)
            return productOverflows || sumOverflows ? Int64.max : budget
        }.max()
    }
}
