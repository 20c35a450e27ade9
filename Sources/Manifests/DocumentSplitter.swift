import Foundation

#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
#endif

/// The size of the regular file open at `descriptor`; nil for a pipe, a terminal or a device, whose size is not
/// known before reading.
func regularFileSize(of descriptor: Int32) -> Int? {
    var info = stat()
    guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int(info.st_size)
}

/// One document of a stream, cut out at its `---` line, so that it is parsed on its own.
struct DocumentChunk: Sendable {
    /// The document's bytes; empty when it was over the size limit.
    var bytes: [UInt8]
    /// Lines of the stream before the chunk (0 for the first).
    var lineBase: Int
    /// Bytes the document held; larger than `bytes.count` when it was over the limit and dropped.
    var size: Int
    var isOversized: Bool { size > bytes.count }
}

/// Cuts a byte stream into documents at the lines that start one (`---` then a blank or the end of the line) and
/// after the lines that end one (`...`), reading as it goes: a stream of any length costs the memory of its largest
/// document.
///
/// A marker line is where libyaml starts a new document too: YAML forbids `---` and `...` at the start of a line
/// inside a scalar (the spec's c-forbidden), and JSON has no line breaks inside strings. Lines before a document's
/// first content (comments, blank lines, `%` directives) stay with it, so `%YAML 1.1` stays with its `---`.
struct DocumentSplitter {
    /// Reads up to the buffer's size; returns the number of bytes read, 0 at the end, or throws.
    typealias Reader = (UnsafeMutableRawBufferPointer) throws(ReadFailure) -> Int

    struct ReadFailure: Error, Sendable {
        let reason: String
    }

    private let read: Reader
    private let maxDocumentBytes: Int
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    /// True at the start of a line (no byte of it consumed yet).
    private var atLineStart = true
    private var line = 0

    /// The current document's bytes that an earlier refill moved out of `buffer`; usually none.
    private var current: [UInt8] = []
    /// Where the current document's bytes still in `buffer` start (they run to `position`): a document is copied out
    /// once, at its size, not grown line by line.
    private var pendingStart: Int?
    private var currentSize = 0
    private var currentLineBase = 0
    private var currentHasContent = false
    /// The most one read asks for; a regular file's reads ask for its size (and one byte to see the end).
    static let maxReadSize = 1 << 20
    private let readSize: Int
    /// Where reads land: uninitialized, since a read writes what is then used. A lint run reads thousands of small
    /// files, and a zeroed megabyte for each (an allocation the kernel maps, zeroes and unmaps) is work for nothing.
    private var scratch: [UInt8]

    /// - Parameter readSize: at most `maxReadSize`; what `read` is asked for at a time.
    init(maxDocumentBytes: Int, readSize: Int = maxReadSize, read: @escaping Reader) {
        self.maxDocumentBytes = maxDocumentBytes
        self.read = read
        let readSize = min(max(readSize, 4096), Self.maxReadSize)
        self.readSize = readSize
        scratch = [UInt8](unsafeUninitializedCapacity: readSize) { _, count in count = readSize }
    }

    /// A splitter over bytes already in memory.
    init(bytes: [UInt8], maxDocumentBytes: Int) {
        var offset = 0
        self.init(maxDocumentBytes: maxDocumentBytes, readSize: bytes.count + 1) { target in
            let count = min(target.count, bytes.count - offset)
            guard count > 0 else { return 0 }
            bytes.withUnsafeBytes { source in
                target.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
            }
            offset += count
            return count
        }
    }

    /// A splitter over an open file descriptor (a file, a pipe, standard input), which it does not close.
    init(descriptor: Int32, maxDocumentBytes: Int) {
        let readSize = regularFileSize(of: descriptor).map { $0 + 1 } ?? Self.maxReadSize
        self.init(maxDocumentBytes: maxDocumentBytes, readSize: readSize) { target throws(ReadFailure) in
            while true {
                let count = systemRead(descriptor, target.baseAddress, target.count)
                if count >= 0 { return count }
                if errno != EINTR { throw ReadFailure(reason: String(cString: strerror(errno))) }
            }
        }
    }

    /// The next document, or nil at the end of the stream.
    mutating func next() throws(ReadFailure) -> DocumentChunk? {
        while true {
            if atLineStart {
                // Enough bytes to tell a marker line: three characters and the one after them.
                while buffer.count - position < 4, !atEnd { try refill() }
                if position == buffer.count {
                    return finishCurrent()
                }
                if isMarker(UInt8(ascii: "-")), currentHasContent { return finishCurrent() }
            }
            let remaining = buffer.count - position
            if remaining == 0 {
                // The rest of a long line was taken whole: at the end that line is complete, else read on.
                if atEnd {
                    atLineStart = true
                    line += 1
                } else {
                    try refill()
                }
                continue
            }
            let newline = buffer.withUnsafeBytes { bytes -> Int? in
                guard let found = memchr(bytes.baseAddress! + position, 0x0A, remaining) else { return nil }
                return bytes.baseAddress!.distance(to: UnsafeRawPointer(found))
            }
            guard let newline else {
                if atEnd {
                    take(position..<buffer.count, completingLine: true)
                    continue
                }
                // A line longer than what is buffered: keep what there is and read on.
                if remaining >= readSize { take(position..<buffer.count, completingLine: false) }
                try refill()
                continue
            }
            let endsDocument = atLineStart && isMarker(UInt8(ascii: "."))
            take(position..<newline + 1, completingLine: true)
            if endsDocument { return finishCurrent() }
        }
    }

    /// Whether the line at `position` is `ccc` followed by a blank, a line break or the end.
    private func isMarker(_ character: UInt8) -> Bool {
        guard buffer.count - position >= 3, buffer[position] == character, buffer[position + 1] == character,
            buffer[position + 2] == character
        else { return false }
        guard buffer.count - position > 3 else { return atEnd }
        switch buffer[position + 3] {
        case 0x20, 0x09, 0x0A, 0x0D: return true
        default: return false
        }
    }

    /// Moves `range` of the buffer into the current document (or only counts it once the document is over the
    /// limit).
    private mutating func take(_ range: Range<Int>, completingLine: Bool) {
        if atLineStart, !currentHasContent, let first = buffer[range].first(where: { $0 != 0x20 && $0 != 0x09 }) {
            switch first {
            case UInt8(ascii: "#"), UInt8(ascii: "%"), 0x0A, 0x0D: break  // comment, directive, blank
            default: currentHasContent = true
            }
        }
        currentSize += range.count
        if currentSize <= maxDocumentBytes {
            if pendingStart == nil { pendingStart = range.lowerBound }
        } else {
            current = []
            pendingStart = nil
        }
        position = range.upperBound
        atLineStart = completingLine
        if completingLine { line += 1 }
    }

    private mutating func finishCurrent() -> DocumentChunk? {
        defer {
            current = []
            pendingStart = nil
            currentSize = 0
            currentHasContent = false
            currentLineBase = line
        }
        guard currentSize > 0 else { return nil }
        if let pendingStart {
            let pending = buffer[pendingStart..<position]
            if current.isEmpty { current = Array(pending) } else { current += pending }
        }
        return DocumentChunk(bytes: current, lineBase: currentLineBase, size: currentSize)
    }

    private mutating func refill() throws(ReadFailure) {
        if position > 0 {
            if let start = pendingStart {
                current += buffer[start..<position]
                pendingStart = 0
            }
            buffer.removeSubrange(0..<position)
            position = 0
        }
        // Reads go through a buffer of their own, so a pipe's small reads cost their size, not a fresh megabyte.
        let result = scratch.withUnsafeMutableBytes { bytes in
            Result { () throws(ReadFailure) in try read(bytes) }
        }
        let count = try result.get()
        buffer.append(contentsOf: scratch[0..<count])
        if count == 0 { atEnd = true }
    }
}
