import Foundation

/// Finds the files a lint run reads: named files whatever their extension, and `*.yaml`, `*.yml`, `*.json` below
/// named directories (dot-folders skipped; links followed once, so loops end).
public struct ManifestCollector {
    public struct Input: Sendable, Hashable {
        /// As reported: the path as given, or joined below the directory given.
        public let displayPath: String
        /// The file's path as it is opened; nil for standard input.
        public let filePath: String?
    }

    public enum CollectError: Error, CustomStringConvertible {
        case missing(String)
        case unreadable(String, String)

        public var description: String {
            switch self {
            case .missing(let path): return "\(path): no such file or directory"
            case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
            }
        }
    }

    static let extensions: Set<String> = ["yaml", "yml", "json"]

    /// Notes about what a walk skipped (broken links, loops), for standard error.
    public private(set) var notes: [String] = []

    public init() {}

    public mutating func collect(_ paths: [String]) throws(CollectError) -> [Input] {
        var inputs: [Input] = []
        var seenDirectories: Set<DirectoryIdentity> = []
        for path in paths {
            if path == "-" {
                inputs.append(Input(displayPath: "<stdin>", filePath: nil))
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .missing(path)
            }
            if isDirectory.boolValue {
                try walk(directory: path, display: path, seen: &seenDirectories, into: &inputs)
            } else {
                guard FileManager.default.isReadableFile(atPath: path) else { throw .unreadable(path, "permission denied") }
                inputs.append(Input(displayPath: path, filePath: path))
            }
        }
        return inputs
    }

    private struct DirectoryIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    private mutating func walk(
        directory: String, display: String, seen: inout Set<DirectoryIdentity>, into inputs: inout [Input]
    ) throws(CollectError) {
        var info = stat()
        guard stat(directory, &info) == 0 else { throw .unreadable(display, "cannot read the directory") }
        // A directory reached twice (through a link) is a loop: device and inode name it whatever the path.
        guard seen.insert(DirectoryIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))).inserted else {
            notes.append("\(display): directory already visited (link loop?); skipped")
            return
        }
        guard let entries = Self.entries(of: directory) else { throw .unreadable(display, "cannot list directory") }
        for (entry, listedType) in entries where !entry.hasPrefix(".") {
            let path = directory.hasSuffix("/") ? directory + entry : directory + "/" + entry
            let shown = display.hasSuffix("/") ? display + entry : display + "/" + entry
            // The type the directory lists, for files and directories (a tree of 20,000 files is 20,000 stat calls
            // fewer); anything else is stat'ed, links followed, and a failure is a broken link.
            var type = listedType
            if type != .directory, type != .regularFile {
                var entryInfo = stat()
                guard stat(path, &entryInfo) == 0 else {
                    notes.append("\(shown): broken link; skipped")
                    continue
                }
                let mode = entryInfo.st_mode & S_IFMT
                type = mode == S_IFDIR ? .directory : mode == S_IFREG ? .regularFile : .other
            }
            if type == .directory {
                try walk(directory: path, display: shown, seen: &seen, into: &inputs)
            } else if Self.extensions.contains(Self.fileExtension(entry)) {
                // A named pipe or device found by a walk would block the read forever; one named on the command
                // line (`hpaguard lint <(helm template .)`) is read as asked.
                guard type == .regularFile else {
                    notes.append("\(shown): not a regular file; skipped")
                    continue
                }
                inputs.append(Input(displayPath: shown, filePath: path))
            }
        }
    }

    private enum EntryType { case directory, regularFile, other }

    /// The entries of `directory` (but `.` and `..`) sorted by name, with the type it lists for each (`d_type`;
    /// `.other` for links and for file systems that do not say); nil when it cannot be read.
    private static func entries(of directory: String) -> [(name: String, type: EntryType)]? {
        guard let handle = opendir(directory) else { return nil }
        defer { closedir(handle) }
        var entries: [(name: String, type: EntryType)] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            let type: EntryType
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): type = .directory
            case Int32(DT_REG): type = .regularFile
            default: type = .other
            }
            entries.append((name, type))
        }
        return entries.sorted { $0.name < $1.name }
    }

    private static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }
}
