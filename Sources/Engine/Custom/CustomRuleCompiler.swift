import CEL

/// Why a custom rule or an admission policy could not be compiled: the field, its place in the file and the reason
/// (for a CEL error, the position of the error inside the expression, counted in the file).
public struct CustomRuleError: Error, Sendable {
    public let pointer: JSONPointer
    public let position: SourcePosition?
    public let message: String
}

/// Compiles the expressions of one custom rule against the names hpaguard binds.
///
/// The names and their order are fixed, so every program of every rule reads its bindings from the same slots:
/// a review builds them once per HPA, not once per expression.
struct CustomRuleCompiler {
    /// The bound names, in slot order.
    enum Binding: Int, CaseIterable {
        case object, oldObject, target, request, namespaceObject, params, variables

        var name: String {
            switch self {
            case .object: "object"
            case .oldObject: "oldObject"
            case .target: "target"
            case .request: "request"
            case .namespaceObject: "namespaceObject"
            case .params: "params"
            case .variables: "variables"
            }
        }
    }

    let file: String
    let locator: (any SourceLocating)?
    /// `variables.NAME` as declared so far: each variable may read the ones before it.
    private var variableTypes: [String: CELType] = [:]
    /// The environment for the next expression, rebuilt only when a variable is declared.
    private var environment: CELEnvironment
    /// The cost budget of one evaluation of one expression (Kubernetes' per-expression limit).
    static let costLimit: Int64 = 1_000_000

    init(file: String, locator: (any SourceLocating)?) {
        self.file = file
        self.locator = locator
        environment = Self.environment(variables: [:])
    }

    private static func environment(variables: [String: CELType]) -> CELEnvironment {
        let types: [Binding: CELType] = [
            .object: HPASchema.celType, .oldObject: HPASchema.celType, .target: .json, .request: requestType,
            .namespaceObject: .json, .params: .dyn, .variables: .object(CELObjectType(name: "variables", fields: variables)),
        ]
        var environment = CELEnvironment(
            orderedVariables: Binding.allCases.compactMap { binding in types[binding].map { (binding.name, $0) } })
        environment.costLimit = costLimit
        return environment
    }

    /// Compiles the string at `pointer` of `entry` (a rule or policy object).
    func compile(_ entry: JSONValue, at pointer: JSONPointer, in base: JSONPointer, expecting: CELType?)
        throws(CustomRuleError) -> CustomRule.Expression
    {
        guard let source = entry[pointer]?.stringValue else {
            throw CustomRuleError(
                pointer: base.appending(pointer), position: locator?.position(of: base.appending(pointer)),
                message: "expected a CEL expression (a string)")
        }
        do {
            let program = try environment.compile(source, expecting: expecting)
            return CustomRule.Expression(program: program, field: base.appending(pointer).fieldPath)
        } catch {
            let first = error.errors[0]
            let more = error.errors.count > 1 ? " (and \(error.errors.count - 1) more)" : ""
            throw CustomRuleError(
                pointer: base.appending(pointer),
                position: locator?.position(
                    inScalarAt: base.appending(pointer), line: first.position.line, column: first.position.column),
                message: "\(first.message)\(more), in `\(source.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: " ") }.joined(separator: " "))`")
        }
    }

    /// Declares `variables.NAME` with the result type of its expression.
    mutating func declare(variable name: String, _ expression: CustomRule.Expression) {
        variableTypes[name] = expression.program.resultType
        environment = Self.environment(variables: variableTypes)
    }

    /// The fields of an AdmissionRequest a rule may read (`request.operation`, `request.userInfo.username`, ...).
    static let requestType: CELType = {
        let groupVersionKind = CELType.object(CELObjectType(
            name: "GroupVersionKind", fields: ["group": .string, "version": .string, "kind": .string]))
        let groupVersionResource = CELType.object(CELObjectType(
            name: "GroupVersionResource", fields: ["group": .string, "version": .string, "resource": .string]))
        let userInfo = CELType.object(CELObjectType(
            name: "UserInfo",
            fields: [
                "username": .string, "uid": .string, "groups": .list(.string),
                "extra": .map(.string, .list(.string)),
            ]))
        return .object(CELObjectType(
            name: "AdmissionRequest",
            fields: [
                "uid": .string, "kind": groupVersionKind, "resource": groupVersionResource, "subResource": .string,
                "requestKind": groupVersionKind, "requestResource": groupVersionResource, "name": .string,
                "namespace": .string, "operation": .string, "userInfo": userInfo, "dryRun": .bool, "options": .dyn,
            ]))
    }()
}

extension JSONPointer {
    /// A VAP-style field path (`spec.metrics[0].resource`, `metadata.labels['app.kubernetes.io/name']`) as a
    /// pointer; nil when it does not parse.
    init?(fieldPath: String) {
        var tokens: [String] = []
        var rest = Substring(fieldPath)
        while !rest.isEmpty {
            if rest.first == "." {
                rest = rest.dropFirst()
                guard !rest.isEmpty else { return nil }
            }
            if rest.first == "[" {
                rest = rest.dropFirst()
                if let quote = rest.first, quote == "'" || quote == "\"" {
                    rest = rest.dropFirst()
                    guard let end = rest.firstIndex(of: quote) else { return nil }
                    tokens.append(String(rest[..<end]))
                    rest = rest[rest.index(after: end)...]
                } else {
                    guard let end = rest.firstIndex(of: "]"), let index = Int(rest[..<end]), index >= 0 else { return nil }
                    tokens.append(String(index))
                    rest = rest[end...]
                }
                guard rest.first == "]" else { return nil }
                rest = rest.dropFirst()
                continue
            }
            let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
            let name = rest[..<end]
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { return nil }
            tokens.append(String(name))
            rest = rest[end...]
        }
        guard !tokens.isEmpty else { return nil }
        self.init(tokens: tokens)
    }
}
