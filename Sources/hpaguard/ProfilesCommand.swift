import ArgumentParser
import Engine
import Foundation

struct ProfilesCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument { case text, json }

    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the ML scaling profiles in force, with the behavior each attaches for a model load time.",
        discussion: """
            The numbers are what `hpaguard mutate` attaches to an HPA that leaves them unset: each profile is planned \
            on an HPA with no behavior, so they come from the same derivation. Without --model-load-seconds each \
            profile uses its own default load time.
            """
    )

    @Option(help: "A policy file laid over the embedded default (its profiles and definitions count).")
    var policy: String?

    @Option(name: .customLong("model-load-seconds"), help: "The model load time to derive the numbers for (seconds).")
    var modelLoadSeconds: Int?

    @Option(help: "text or json") var format: Format = .text

    func validate() throws {
        if let modelLoadSeconds, modelLoadSeconds < 1 || modelLoadSeconds > 86_400 {
            throw ValidationError("--model-load-seconds takes a whole number of seconds from 1 to 86400")
        }
    }

    func run() throws {
        let policy = try loadPolicy(policy)
        let derived = policy.profiles.map { derive($0, policy: policy) }
        switch format {
        case .json:
            print(JSONValue.object(JSONObject([("profiles", .array(derived.map(\.json)))])).serialized())
        case .text:
            print(derived.map(\.text).joined(separator: "\n"), terminator: "")
        }
    }

    /// One profile with what it attaches, planned by the mutator on an HPA that sets nothing.
    struct Derived {
        let profile: Profile
        let loadSeconds: Int64
        let loadSource: String
        let minReplicas: JSONValue?
        let behavior: JSONValue?

        var json: JSONValue {
            .object(JSONObject([
                ("name", .string(profile.name)), ("summary", .string(profile.summary)),
                ("modelServers", .array(profile.detect.modelServers.map(JSONValue.string))),
                ("accelerators", .bool(profile.detect.accelerators)),
                ("modelLoadSeconds", .int(loadSeconds)), ("modelLoadSecondsSource", .string(loadSource)),
                ("minReplicas", minReplicas ?? .null), ("behavior", behavior ?? .null),
            ]))
        }

        var text: String {
            var detection: [String] = []
            if !profile.detect.modelServers.isEmpty {
                detection.append("model servers " + profile.detect.modelServers.joined(separator: ", "))
            }
            if profile.detect.accelerators { detection.append("targets that request an accelerator") }
            var lines = ["\(profile.name): \(profile.summary)"]
            lines.append("  detected from: " + (detection.isEmpty ? "nothing (chosen by annotation or policy)" : detection.joined(separator: "; ")))
            lines.append("  model load time: \(loadSeconds) s (\(loadSource))")
            if let minReplicas { lines.append("  minReplicas: \(minReplicas.serialized()) (when unset)") }
            for direction in ["scaleUp", "scaleDown"] {
                guard let rules = behavior?[direction] else { continue }
                lines.append("  \(direction): " + Self.describe(rules))
            }
            return lines.joined(separator: "\n") + "\n"
        }

        static func describe(_ rules: JSONValue) -> String {
            var parts: [String] = []
            if let window = rules["stabilizationWindowSeconds"]?.integerValue {
                parts.append("stabilization window \(window) s")
            }
            let policies = (rules["policies"]?.arrayValue ?? []).map { policy -> String in
                let value = policy["value"]?.integerValue ?? 0
                let period = policy["periodSeconds"]?.integerValue ?? 0
                let unit = policy["type"]?.stringValue == "Percent" ? "%" : (value == 1 ? " pod" : " pods")
                return "\(value)\(unit) per \(period) s"
            }
            if !policies.isEmpty { parts.append(policies.joined(separator: ", ")) }
            if let select = rules["selectPolicy"]?.stringValue, policies.count > 1 || select == "Disabled" {
                parts.append("selectPolicy \(select)")
            }
            return parts.isEmpty ? "(left to the API server's defaults)" : parts.joined(separator: "; ")
        }
    }

    func derive(_ profile: Profile, policy: Policy) -> Derived {
        var annotations = JSONObject([(MutationAnnotation.profile, .string(profile.name))])
        if let modelLoadSeconds {
            annotations[PolicyAnnotation.modelLoadSeconds] = .string(String(modelLoadSeconds))
        }
        let hpa: JSONValue = [
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": ["name": "model-server", "annotations": .object(annotations)],
            "spec": ["scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "model-server"], "maxReplicas": 8],
        ]
        let plan = Mutator(policy: policy).plan(
            for: ManifestObject(value: hpa, file: "profile"), resolver: InventoryResolver(objects: []), vantage: .manifest)
        var loadSeconds = Int64(modelLoadSeconds ?? Int(profile.defaultModelLoadSeconds))
        if case .profile(_, _, let seconds, _) = plan.outcome { loadSeconds = seconds }
        let loadSource = modelLoadSeconds == nil ? "the profile's default" : "--model-load-seconds"
        let mutated = (try? JSONPatch.apply(plan.operations, to: hpa)) ?? hpa
        return Derived(
            profile: profile, loadSeconds: loadSeconds, loadSource: loadSource, minReplicas: mutated["spec"]?["minReplicas"],
            behavior: mutated["spec"]?["behavior"])
    }
}
