import Engine
import Testing

/// The stack both parsers build containers on: elements leave it moved, so each must be released exactly once, by
/// whoever holds it last.
@Suite("Element stack", .serialized)
struct ElementStackTests {
    /// Counts its instances alive, so a test sees an element leaked or released twice.
    final class Tracked {
        nonisolated(unsafe) static var alive = 0
        let id: Int
        init(_ id: Int) {
            self.id = id
            Self.alive += 1
        }
        deinit { Self.alive -= 1 }
    }

    @Test("nested containers pop their own elements, in order, past the first capacity")
    func nesting() {
        let before = Tracked.alive
        do {
            let stack = ElementStack<Tracked>(capacity: 2)
            for id in 0..<3 { stack.append(Tracked(id)) }
            let inner = stack.count
            for id in 10..<15 { stack.append(Tracked(id)) }
            let innerArray = stack.popArray(from: inner)
            #expect(innerArray.map(\.id) == [10, 11, 12, 13, 14])
            #expect(innerArray.capacity == 5)
            #expect(stack.count == 3)
            #expect(stack.popArray(from: 3).isEmpty)
            stack.replace(at: 1, with: Tracked(99))
            #expect(stack.popArray(from: 0).map(\.id) == [0, 99, 2])
            #expect(stack.count == 0)
            #expect(Tracked.alive == before + 5)  // innerArray's, still held
        }
        #expect(Tracked.alive == before)
    }

    @Test("what is left on a stack is released with it, or by removeAll")
    func leftovers() {
        let before = Tracked.alive
        do {
            let stack = ElementStack<Tracked>()
            for id in 0..<100 { stack.append(Tracked(id)) }
            #expect(Tracked.alive == before + 100)
            stack.removeAll()
            #expect(Tracked.alive == before)
            for id in 0..<7 { stack.append(Tracked(id)) }
        }
        #expect(Tracked.alive == before)
    }

    @Test("a member is found by a scan, and through an index once the object is wide")
    func memberLookup() {
        let stack = ElementStack<JSONObject.Member>()
        stack.append(JSONObject.Member(key: "outer", value: 1))
        let start = stack.count
        var index: [String: Int]?
        for key in 0..<100 {
            #expect(stack.position(of: "k\(key)", from: start, index: &index) == nil)
            stack.appendMember(JSONObject.Member(key: "k\(key)", value: .int(Int64(key))), index: &index)
        }
        #expect(index != nil)
        #expect(stack.position(of: "k0", from: start, index: &index) == start)
        #expect(stack.position(of: "k99", from: start, index: &index) == start + 99)
        #expect(stack.position(of: "outer", from: start, index: &index) == nil)  // below the object's start

        var narrow: [String: Int]?
        let small = ElementStack<JSONObject.Member>()
        small.append(JSONObject.Member(key: "a", value: 1))
        small.append(JSONObject.Member(key: "bb", value: 2))
        #expect(small.position(of: "bb", from: 0, index: &narrow) == 1)
        #expect(small.position(of: "b", from: 0, index: &narrow) == nil)
        #expect(narrow == nil)
    }
}
