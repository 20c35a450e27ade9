/// Reading fields the way the API server's Go decoder leaves them, for the API-server rules: a value type is its
/// zero value when absent or null, a pointer is nil.
extension JSONValue {
    /// A string field as Go decodes it: "" when absent or null, nil when it is not a string at all (decoding
    /// fails then, which `invalid-type` reports, so validation rules stay quiet).
    var decodedString: String? {
        switch self {
        case .null: return ""
        case .string(let text): return text
        default: return nil
        }
    }

    /// An optional (pointer) field of the Go type: nil when absent or null.
    var isSet: Bool { !isNull }

    /// An integer member as Go decodes a non-pointer int32: 0 when absent or null, nil when not an integer.
    func decodedInteger(_ key: String) -> Int64? {
        guard let value = self[key], !value.isNull else { return 0 }
        return value.integerValue
    }
}

extension Optional where Wrapped == JSONValue {
    /// See `JSONValue.decodedString`; absent reads as "".
    var decodedString: String? { self?.decodedString ?? "" }

    /// True when the field is present and not null (a non-nil pointer in Go).
    var isSet: Bool { self?.isSet ?? false }
}
