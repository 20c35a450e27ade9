import Engine

/// The JSON parser (AdmissionReview bodies, v1 annotations): any bytes parse or throw `JSONParser.Error`; what
/// parses writes out as JSON that parses again to the same text (the writer prints whole doubles as integers, so
/// the texts are compared, not the values); leaving members unread never changes whether a document parses.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let unread = JSONParser.UnreadMembers([["request", "userInfo"], ["items", "*", "metadata", "managedFields"]])
    let skipping = try? JSONParser.parse(bytes, leavingOut: unread)
    guard let value = try? JSONParser.parse(bytes) else {
        precondition(skipping == nil, "a document that fails to parse parsed with members left unread")
        return 0
    }
    precondition(skipping != nil, "leaving members unread made a valid document fail")
    let text = value.serialized()
    guard let again = try? JSONParser.parse(text) else { fatalError("written JSON does not parse again: \(text)") }
    precondition(again.serialized() == text, "the round trip changed the value: \(text)")
    return 0
}
