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

    /// The servers `container` runs.
    public static func detect(in container: Container) -> Set<ModelServer> {
        var repository = container.image.lowercased()
        if let at = repository.firstIndex(of: "@") { repository = String(repository[..<at]) }
        if let colon = repository.lastIndex(of: ":"), !repository[colon...].contains("/") {
            repository = String(repository[..<colon])
        }
        let command = container.args.joined(separator: " ").lowercased()
        var found: Set<ModelServer> = []
        for server in allCases {
            if server.imageMarkers.contains(where: { repository.contains($0) })
                || server.commandMarkers.contains(where: { command.contains($0) })
            {
                found.insert(server)
            }
        }
        return found
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
    /// Model servers running in any serving container.
    public var modelServers: Set<ModelServer> {
        containers.reduce(into: []) { $0.formUnion(ModelServer.detect(in: $1)) }
    }

    public var requestsAccelerator: Bool { containers.contains { !Accelerator.requested(by: $0).isEmpty } }

    /// The longest startupProbe budget of its serving containers: initialDelaySeconds + failureThreshold ×
    /// periodSeconds, with the API's defaults (0, 3, 10).
    public var startupBudgetSeconds: Int64? {
        containers.compactMap { container -> Int64? in
            guard let probe = container.value["startupProbe"], probe.objectValue != nil else { return nil }
            let delay = probe["initialDelaySeconds"]?.integerValue ?? 0
            let failures = probe["failureThreshold"]?.integerValue ?? 3
            let period = probe["periodSeconds"]?.integerValue ?? 10
            return delay + failures * period
        }.max()
    }
}
