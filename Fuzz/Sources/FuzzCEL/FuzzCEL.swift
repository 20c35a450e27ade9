import CEL

/// The CEL compiler and interpreter (custom rules): any text compiles or throws `CELCompileErrors`; a program
/// evaluates to a value or throws `CELEvalError`, within a small cost budget so that one input stays fast.
private let environment: CELEnvironment = {
    var environment = CELEnvironment(variables: ["object": .dyn, "oldObject": .dyn, "params": .dyn])
    environment.maxSourceLength = 4096
    return environment
}()

private let object: CELValue = {
    func member(_ name: String, _ value: CELJSON) -> CELJSON.Member { CELJSON.Member(name, value) }
    let metadata: CELJSON = .object([
        member("name", .string("web")), member("namespace", .string("prod")),
        member("labels", .object([member("tier", .string("batch")), member("app", .string("web"))])),
    ])
    let metric: CELJSON = .object([member("type", .string("Resource")), member("utilization", .double(0.5))])
    let spec: CELJSON = .object([
        member("minReplicas", .int(2)), member("maxReplicas", .int(10)), member("metrics", .array([metric])),
    ])
    return CELValue(
        json: .object([
            member("apiVersion", .string("autoscaling/v2")), member("kind", .string("HorizontalPodAutoscaler")),
            member("metadata", metadata), member("spec", spec),
        ]))
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCEL(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let program = try? environment.compile(source) else { return 0 }
    _ = try? program.evaluate(["object": object, "oldObject": .null, "params": object], costLimit: 20_000)
    return 0
}
