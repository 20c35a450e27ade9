import Dispatch
import Engine
import FuzzSupport
import Logging
import Manifests
import Webhook

/// The AdmissionReview decoder and the whole review in-process (no cluster; validate and mutate): every body gets
/// an answer, 200 with a review or 400, never a crash or a hang.
private let controllers: [AdmissionController] = {
    let logger = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
    let metrics = WebhookMetrics()
    // The default policy (userInfo left unread) and the fuzz policy, whose custom rules read every binding.
    let policies = [(try? PolicyLoader.defaultPolicy()) ?? .builtInDefaults, FuzzSupport.policy]
    return policies.map { policy in
        let engine = Engine(policy: policy, vantage: .admission)
        return AdmissionController(
            engine: engine, cluster: NoClusterReader(), mutator: ProfileMutations(engine: engine), metrics: metrics,
            logger: logger)
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAdmissionReview(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = FuzzSupport.bytes(data, size)
    for controller in controllers {
        for endpoint in [AdmissionController.Endpoint.validate, .mutate] {
            let answer: WebhookAnswer
            switch controller.start(body, endpoint: endpoint) {
            case .answered(let answered): answer = answered
            case .waiting(let pending): answer = wait { await pending.finish() }
            }
            precondition(answer.status == 200 || answer.status == 400, "status \(answer.status)")
            precondition((try? JSONParser.parse(answer.body)) != nil, "the answer is not JSON")
        }
    }
    return 0
}

/// Runs `operation` to its end from libFuzzer's synchronous callback.
private func wait(_ operation: @escaping @Sendable () async -> WebhookAnswer) -> WebhookAnswer {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: WebhookAnswer?
    Task {
        result = await operation()
        done.signal()
    }
    done.wait()
    return result!
}
