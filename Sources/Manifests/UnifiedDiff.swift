/// A unified diff (`diff -u` format, 3 lines of context) of two texts, line by line.
public enum UnifiedDiff {
    public static func render(old: String, new: String, oldName: String, newName: String) -> String {
        let a = splitLines(old)
        let b = splitLines(new)
        let script = editScript(a, b)
        guard script.contains(where: { $0 != .keep }) else { return "" }
        var out = "--- \(oldName)\n+++ \(newName)\n"
        // Where each step stands in the old and the new text.
        var positions: [(a: Int, b: Int)] = []
        var aLine = 0
        var bLine = 0
        for step in script {
            positions.append((aLine, bLine))
            if step != .insert { aLine += 1 }
            if step != .delete { bLine += 1 }
        }
        // Hunks: each change with 3 steps of context; overlapping ranges merge.
        var hunks: [Range<Int>] = []
        for index in script.indices where script[index] != .keep {
            let range = max(0, index - 3)..<min(script.count, index + 4)
            if let last = hunks.last, range.lowerBound <= last.upperBound {
                hunks[hunks.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                hunks.append(range)
            }
        }
        for hunk in hunks {
            var body = ""
            var aCount = 0
            var bCount = 0
            for index in hunk {
                let (ai, bi) = positions[index]
                switch script[index] {
                case .keep:
                    body += " \(a[ai])\n"
                    aCount += 1
                    bCount += 1
                case .delete:
                    body += "-\(a[ai])\n"
                    aCount += 1
                case .insert:
                    body += "+\(b[bi])\n"
                    bCount += 1
                }
            }
            let (aStart, bStart) = positions[hunk.lowerBound]
            out += "@@ -\(aCount == 0 ? aStart : aStart + 1),\(aCount) +\(bCount == 0 ? bStart : bStart + 1),\(bCount) @@\n" + body
        }
        return out
    }

    enum Step: Equatable { case keep, delete, insert }

    /// Lines split at LF only: a CRLF file keeps its CR on each line (a Swift `Character` would fold CR LF into one).
    static func splitLines(_ text: String) -> [Substring] {
        var lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring($0) }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Longest-common-subsequence edit script; the common prefix and suffix are trimmed first, so the table only
    /// spans the changed region (hpaguard's edits are a few inserted lines).
    static func editScript(_ a: [Substring], _ b: [Substring]) -> [Step] {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        let midA = Array(a[prefix..<(a.count - suffix)])
        let midB = Array(b[prefix..<(b.count - suffix)])
        var middle: [Step] = []
        if midA.isEmpty {
            middle = Array(repeating: .insert, count: midB.count)
        } else if midB.isEmpty || midA.count * midB.count > 25_000_000 {
            middle = Array(repeating: .delete, count: midA.count) + Array(repeating: .insert, count: midB.count)
        } else {
            let n = midA.count
            let m = midB.count
            var table = Array(repeating: Array(repeating: Int32(0), count: m + 1), count: n + 1)
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    table[i][j] = midA[i] == midB[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
                }
            }
            var i = 0
            var j = 0
            while i < n || j < m {
                if i < n, j < m, midA[i] == midB[j] {
                    middle.append(.keep); i += 1; j += 1
                } else if j < m, i == n || table[i][j + 1] >= table[i + 1][j] {
                    middle.append(.insert); j += 1
                } else {
                    middle.append(.delete); i += 1
                }
            }
        }
        return Array(repeating: .keep, count: prefix) + middle + Array(repeating: .keep, count: suffix)
    }
}
