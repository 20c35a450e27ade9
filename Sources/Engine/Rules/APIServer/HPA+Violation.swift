extension HPA {
    /// How a message names an internal pointer: the API server's field path (validation runs on the internal
    /// object, so that is the path it prints), and where the user wrote it when that is elsewhere.
    func fieldPath(_ internalPointer: JSONPointer) -> String {
        let path = internalPointer.fieldPath
        let written = originalPointer(for: internalPointer)
        let annotations = JSONPointer(tokens: ["metadata", "annotations"])
        if written == internalPointer || written == "/spec" { return path }
        if written.hasPrefix(annotations), let key = written.tokens.dropFirst(2).first {
            return "\(path) (from the \(key) annotation)"
        }
        return "\(path) (written as \(written.fieldPath))"
    }

    /// A violation at an internal pointer whose message starts from `fieldPath(pointer)`.
    func violation(at pointer: JSONPointer, _ message: (String) -> String) -> Violation {
        Violation(message(fieldPath(pointer)), at: pointer)
    }
}
