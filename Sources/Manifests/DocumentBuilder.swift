import CLibYAML
import Engine

/// Turns the events of one document into a `JSONValue`, with an explicit stack (no recursion, so nesting depth is
/// a counted limit rather than a crash) and an alias budget.
struct DocumentBuilder {
    private struct Frame {
        var isMapping: Bool
        /// Where the container's members (a mapping) or items (a sequence) start on their stack.
        var start: Int
        /// A mapping's key whose value comes next; nil while a key comes next, and in a sequence.
        var pendingKey: String?
        /// Where on the member stack the pending key was written before, if it was (a duplicate key).
        var pendingKeyMember: Int?
        /// The mappings a mapping's merge keys (<<) name, merged when it closes.
        var merges: [JSONObject] = []
        var anchor: String?
        var nodesAtStart: Int
        var layout: ContainerLayout?
        /// For a mapping wider than a scan is good for: where each key's member is on the member stack.
        var wideIndex: [String: Int]?
    }

    private let limits: LoaderLimits
    private let recordPositions: Bool
    private let lineBase: Int

    private var stack: [Frame] = []
    /// The members of the open mappings and the items of the open sequences, each container's after its parent's.
    private let members = ElementStack<JSONObject.Member>()
    private let items = ElementStack<JSONValue>()
    /// The pointer of the node being built: one token per open container.
    private var path: [String] = []
    /// `PathHash` of each prefix of `path` (same length), so a node's hash costs one step.
    private var pathHashes: [UInt64] = []
    /// Where every node was written, by path hash: one entry per node, a few bytes each.
    private var positionIndex: [PositionEntry] = []
    private var anchors: [String: (value: JSONValue, nodes: Int)] = [:]
    private var nodes = 0
    private var root: JSONValue?
    private var documentPosition = SourcePosition(line: 1, column: 1)
    private var duplicateKeys: [JSONPointer] = []
    private var positions: [JSONPointer: SourcePosition] = [:]
    private var layouts: [JSONPointer: ContainerLayout] = [:]
    /// The last line (1-based) that holds content of the node being built, for layouts.
    private var lastContentLine = 0
    /// The first syntax problem or crossed limit of the current document; the reader ends the document on it.
    private(set) var problem: LoadProblem?

    /// Whether the next node is a key of the innermost mapping. Read in place: `stack.last` copies the frame out,
    /// retaining and releasing every field of it, and this is asked for every event.
    private var expectsKey: Bool {
        guard let top = stack.indices.last else { return false }
        return stack[top].isMapping && stack[top].pendingKey == nil
    }

    /// Whether the next node is the value of a key of the innermost mapping.
    private var expectsValueOfKey: Bool {
        guard let top = stack.indices.last else { return false }
        return stack[top].pendingKey != nil
    }

    init(limits: LoaderLimits, recordPositions: Bool, lineBase: Int) {
        self.limits = limits
        self.recordPositions = recordPositions
        self.lineBase = lineBase
    }

    mutating func startDocument(at mark: yaml_mark_t) {
        stack.removeAll(keepingCapacity: true)
        members.removeAll()
        items.removeAll()
        path.removeAll(keepingCapacity: true)
        pathHashes.removeAll(keepingCapacity: true)
        positionIndex = []
        anchors.removeAll()
        nodes = 0
        root = nil
        duplicateKeys = []
        positions = [:]
        layouts = [:]
        lastContentLine = 0
        problem = nil
        documentPosition = position(mark)
    }

    mutating func finishDocument(index: Int) -> BuiltDocument {
        var document = BuiltDocument(index: index, root: problem == nil ? root : nil, position: documentPosition)
        document.duplicateKeys = duplicateKeys
        document.positions = positions
        // At its size: the index lives as long as the document, and grew by doubling.
        document.positionIndex = [PositionEntry](unsafeUninitializedCapacity: positionIndex.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: positionIndex)
        }
        document.layouts = layouts
        document.problem = problem
        return document
    }

    private func position(_ mark: yaml_mark_t) -> SourcePosition {
        SourcePosition(line: lineBase + Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private mutating func fail(_ message: String, at mark: yaml_mark_t) {
        guard problem == nil else { return }
        problem = LoadProblem(message: message, position: position(mark))
    }

    mutating func handle(_ event: yaml_event_t) {
        // The reader stops feeding a document once it has a problem; this guard keeps one problem per document.
        guard problem == nil else { return }
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            if expectsKey {
                if recordPositions { noteContentEnd(event.end_mark) }
                let isMergeKey = scalar.style == YAML_PLAIN_SCALAR_STYLE && text.isSameText(as: "<<")
                acceptKey(text, isMergeKey: isMergeKey, at: event.start_mark)
                return
            }
            if recordPositions { noteContentEnd(event.end_mark) }
            let value = resolve(text, tag: scalar.tag, style: scalar.style)
            nodes += 1
            record(at: event.start_mark)
            if let anchor = scalar.anchor { anchors[String(cString: anchor)] = (value, 1) }
            accept(value, at: event.start_mark)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            if expectsKey {
                fail("a mapping key must be a string, not a \(event.type == YAML_SEQUENCE_START_EVENT ? "list" : "mapping")", at: event.start_mark)
                return
            }
            guard stack.count < limits.maxDepth else {
                fail("nesting deeper than \(limits.maxDepth) levels (loader limit)", at: event.start_mark)
                return
            }
            nodes += 1
            record(at: event.start_mark)
            let anchorPointer = event.type == YAML_SEQUENCE_START_EVENT ? event.data.sequence_start.anchor : event.data.mapping_start.anchor
            let anchor = anchorPointer.map { String(cString: $0) }
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            var layout: ContainerLayout?
            if recordPositions {
                let isFlow = event.type == YAML_SEQUENCE_START_EVENT
                    ? event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                    : event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                layout = ContainerLayout(
                    isFlow: isFlow, isSequence: event.type == YAML_SEQUENCE_START_EVENT, start: position(event.start_mark), endLine: 0)
            }
            let start = isMapping ? members.count : items.count
            stack.append(Frame(isMapping: isMapping, start: start, anchor: anchor, nodesAtStart: nodes, layout: layout))
            if event.type == YAML_SEQUENCE_START_EVENT { pushToken("0") }
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return }
            if recordPositions, var layout = frame.layout {
                if layout.isFlow {
                    noteContentEnd(event.end_mark)
                    layout.closing = position(event.start_mark)
                }
                layout.endLine = max(lastContentLine, layout.start.line)
                let pointer = JSONPointer(tokens: event.type == YAML_SEQUENCE_END_EVENT ? Array(path.dropLast()) : path)
                layouts[pointer] = layout
            }
            let value: JSONValue
            if frame.isMapping {
                // Merge keys (<<) never override keys written in the mapping itself.
                var frame = frame
                for merged in frame.merges {
                    for member in merged {
                        let isWritten = members.position(of: member.key, from: frame.start, index: &frame.wideIndex) != nil
                        if !isWritten { members.appendMember(member, index: &frame.wideIndex) }
                    }
                }
                value = .object(JSONObject(members: members.popArray(from: frame.start)))
            } else {
                popToken()
                value = .array(items.popArray(from: frame.start))
            }
            if let anchor = frame.anchor { anchors[anchor] = (value, nodes - frame.nodesAtStart + 1) }
            accept(value, at: event.start_mark)
        case YAML_ALIAS_EVENT:
            let name = String(cString: event.data.alias.anchor)
            guard let anchored = anchors[name] else {
                fail("unknown alias *\(name)", at: event.start_mark)
                return
            }
            if expectsKey {
                guard let key = anchored.value.stringValue else {
                    fail("a mapping key must be a string; alias *\(name) is a \(anchored.value.typeName)", at: event.start_mark)
                    return
                }
                acceptKey(key, isMergeKey: false, at: event.start_mark)
                return
            }
            nodes += anchored.nodes
            guard nodes <= limits.maxNodesPerDocument else {
                fail("aliases expand this document beyond \(limits.maxNodesPerDocument) nodes (loader limit against alias bombs)", at: event.start_mark)
                return
            }
            record(at: event.start_mark)
            if recordPositions { noteContentEnd(event.end_mark) }
            accept(anchored.value, at: event.start_mark)
        default:
            break
        }
        if nodes > limits.maxNodesPerDocument {
            fail("the document has more than \(limits.maxNodesPerDocument) nodes (loader limit)", at: event.start_mark)
        }
    }

    private mutating func acceptKey(_ key: String, isMergeKey: Bool, at mark: yaml_mark_t) {
        guard expectsKey else { return }
        let storedKey = isMergeKey ? "<<" : key
        let top = stack.count - 1
        let written = isMergeKey ? nil : members.position(of: key, from: stack[top].start, index: &stack[top].wideIndex)
        let isDuplicate = written != nil
        if isDuplicate {
            duplicateKeys.append(JSONPointer(tokens: path + [key]))
        }
        stack[top].pendingKey = storedKey
        stack[top].pendingKeyMember = written
        pushToken(key)
        positionIndex.append(PositionEntry(hash: pathHashes.last ?? PathHash.root, position: position(mark)))
        if recordPositions {
            // The last of two duplicate keys is the one the API server keeps, so findings point there.
            let pointer = JSONPointer(tokens: path)
            if positions[pointer] == nil || isDuplicate { positions[pointer] = position(mark) }
        }
    }

    /// Notes that content reaches `mark`; a mark at column 0 ends the line before it (block scalars end so).
    private mutating func noteContentEnd(_ mark: yaml_mark_t) {
        let line = lineBase + Int(mark.line) + (mark.column == 0 ? 0 : 1)
        lastContentLine = max(lastContentLine, line)
    }

    private mutating func pushToken(_ token: String) {
        path.append(token)
        pathHashes.append(PathHash.appending(token, to: pathHashes.last ?? PathHash.root))
    }

    private mutating func popToken() {
        path.removeLast()
        pathHashes.removeLast()
    }

    /// Records where the node that starts at `mark` is, unless a key already named the place.
    private mutating func record(at mark: yaml_mark_t) {
        if expectsValueOfKey {
            // The value of a key: the key's entry names the place.
        } else {
            positionIndex.append(PositionEntry(hash: pathHashes.last ?? PathHash.root, position: position(mark)))
        }
        guard recordPositions else { return }
        let pointer = JSONPointer(tokens: path)
        if positions[pointer] == nil { positions[pointer] = position(mark) }
    }

    private mutating func accept(_ value: JSONValue, at mark: yaml_mark_t) {
        guard let top = stack.indices.last else {
            root = value
            return
        }
        guard stack[top].isMapping else {
            items.append(value)
            popToken()
            pushToken(String(items.count - stack[top].start))
            return
        }
        guard let key = stack[top].pendingKey else { return }
        popToken()
        stack[top].pendingKey = nil
        let isMerge = key.isSameText(as: "<<")
        if isMerge {
            switch value {
            case .object(let merged):
                stack[top].merges.append(merged)
                return
            case .array(let list):
                stack[top].merges += list.compactMap(\.objectValue)
                return
            default:
                break
            }
        }
        let written: Int?
        if isMerge {
            written = members.position(of: key, from: stack[top].start, index: &stack[top].wideIndex)
        } else {
            written = stack[top].pendingKeyMember
        }
        if let written {
            // The last of two duplicate keys wins, in the place of the first, as in Go's decoder.
            members.replace(at: written, with: JSONObject.Member(key: key, value: value))
        } else {
            members.appendMember(JSONObject.Member(key: key, value: value), index: &stack[top].wideIndex)
        }
    }

    /// YAML 1.1 scalar resolution as go-yaml v2 does it (what sigs.k8s.io/yaml hands the API server).
    private func resolve(_ text: String, tag: UnsafeMutablePointer<yaml_char_t>?, style: yaml_scalar_style_t) -> JSONValue {
        if let tag {
            switch String(cString: tag) {
            case "tag:yaml.org,2002:str", "!": return .string(text)
            case "tag:yaml.org,2002:null": return .null
            case "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float":
                return ScalarResolver.resolvePlain(text)
            default: break
            }
        }
        guard style == YAML_PLAIN_SCALAR_STYLE else { return .string(text) }
        return ScalarResolver.resolvePlain(text)
    }
}

enum ScalarResolver {
    static func resolvePlain(_ text: String) -> JSONValue {
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "~") where text == "~": return .null
        case UInt8(ascii: "n"), UInt8(ascii: "N"):
            if text == "null" || text == "Null" || text == "NULL" { return .null }
            if ["n", "N", "no", "No", "NO"].contains(text) { return .bool(false) }
        case UInt8(ascii: "y"), UInt8(ascii: "Y"):
            if ["y", "Y", "yes", "Yes", "YES"].contains(text) { return .bool(true) }
        case UInt8(ascii: "t"), UInt8(ascii: "T"):
            if text == "true" || text == "True" || text == "TRUE" { return .bool(true) }
        case UInt8(ascii: "f"), UInt8(ascii: "F"):
            if text == "false" || text == "False" || text == "FALSE" { return .bool(false) }
        case UInt8(ascii: "o"), UInt8(ascii: "O"):
            if text == "on" || text == "On" || text == "ON" { return .bool(true) }
            if text == "off" || text == "Off" || text == "OFF" { return .bool(false) }
        case UInt8(ascii: "."):
            switch text {
            case ".inf", ".Inf", ".INF": return .double(.infinity)
            case ".nan", ".NaN", ".NAN": return .double(.nan)
            default: break
            }
        case UInt8(ascii: "-"), UInt8(ascii: "+"):
            if text == "-.inf" || text == "-.Inf" || text == "-.INF" { return .double(-.infinity) }
            if text == "+.inf" || text == "+.Inf" || text == "+.INF" { return .double(.infinity) }
        default:
            break
        }
        guard first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
            || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        else { return .string(text) }
        return number(text) ?? .string(text)
    }

    private static func number(_ text: String) -> JSONValue? {
        // Fast path: a plain decimal integer, the common case (replicas, ports, seconds).
        var value: Int64 = 0
        var negative = false
        var digits = 0
        var simple = true
        for (offset, byte) in text.utf8.enumerated() {
            if offset == 0, byte == UInt8(ascii: "-") {
                negative = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 18 else {
                simple = false
                break
            }
            if digits == 1, value == 0 {
                simple = false  // a leading zero: octal in YAML 1.1
                break
            }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            digits += 1
        }
        if simple, digits > 0 { return .int(negative ? -value : value) }
        return slowNumber(text)
    }

    private static func slowNumber(_ text: String) -> JSONValue? {
        // Most plain scalars that start like a number are not one (500m, 2Gi, 1.2.3, 2024-01-01T00:00:00Z): a byte
        // that no number form holds settles it before any Character is looked at.
        guard text.utf8.allSatisfy(mayBeInNumber) else { return nil }
        var digits = text
        if digits.contains("_") { digits.removeAll { $0 == "_" } }
        var sign: Int64 = 1
        var body = Substring(digits)
        if body.first == "-" {
            sign = -1
            body = body.dropFirst()
        } else if body.first == "+" {
            body = body.dropFirst()
        }
        guard !body.isEmpty else { return nil }
        if body.hasPrefix("0x") { return Int64(body.dropFirst(2), radix: 16).map { .int(sign * $0) } }
        if body.hasPrefix("0b") { return Int64(body.dropFirst(2), radix: 2).map { .int(sign * $0) } }
        if body.hasPrefix("0o") { return Int64(body.dropFirst(2), radix: 8).map { .int(sign * $0) } }
        if body.allSatisfy({ $0.isASCII && $0.isNumber }) {
            if body.count > 1, body.first == "0" { return Int64(body, radix: 8).map { .int(sign * $0) } }
            if let value = Int64(body) { return .int(sign * value) }
            return Double(digits).map { .double($0) }
        }
        // Floats: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
        var sawDigit = false
        var index = body.startIndex
        while index < body.endIndex, body[index].isASCII, body[index].isNumber {
            sawDigit = true
            index = body.index(after: index)
        }
        if index < body.endIndex, body[index] == "." {
            index = body.index(after: index)
            while index < body.endIndex, body[index].isASCII, body[index].isNumber {
                sawDigit = true
                index = body.index(after: index)
            }
        }
        guard sawDigit else { return nil }
        if index < body.endIndex, body[index] == "e" || body[index] == "E" {
            index = body.index(after: index)
            if index < body.endIndex, body[index] == "+" || body[index] == "-" { index = body.index(after: index) }
            var exponentDigits = false
            while index < body.endIndex, body[index].isASCII, body[index].isNumber {
                exponentDigits = true
                index = body.index(after: index)
            }
            guard exponentDigits else { return nil }
        }
        guard index == body.endIndex, let value = Double(digits) else { return nil }
        return .double(value)
    }
}

extension ScalarResolver {
    /// Digits, hex digits, the `0x`/`0o`/`0b` prefixes' letters, sign, point, exponent and `_`.
    private static func mayBeInNumber(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"), UInt8(ascii: "x"), UInt8(ascii: "o"), UInt8(ascii: "."),
            UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}

