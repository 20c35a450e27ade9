/// A stack whose top elements leave it as one array of their exact count, moved rather than copied.
///
/// The loader collects the members of each open mapping (and the items of each open sequence) here, so that a
/// container's array is allocated once, at its size, when it closes. Appended to directly, it would be reallocated
/// through capacities 1, 2, 4, 8, … and keep up to half of its last one unused for as long as its document is kept.
/// Moving leaves each element's references as they are: copying a slice out and removing it would retain and release
/// every string of every member.
final class ElementStack<Element> {
    private var storage: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// Elements held, the open containers' together: the innermost container's are the last.
    private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = max(capacity, 1)
        storage = .allocate(capacity: self.capacity)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    func append(_ element: consuming Element) {
        if count == capacity { grow() }
        (storage + count).initialize(to: element)
        count += 1
    }

    subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "ElementStack position out of range")
        return storage[position]
    }

    /// The element at `position` (below `count`), replaced in place.
    func replace(at position: Int, with element: consuming Element) {
        precondition(position >= 0 && position < count, "ElementStack position out of range")
        storage[position] = element
    }

    /// The first position from `start` whose element matches.
    func firstIndex(from start: Int, where matches: (borrowing Element) -> Bool) -> Int? {
        var position = start
        while position < count {
            if matches(storage[position]) { return position }
            position += 1
        }
        return nil
    }

    /// The elements from `start` to the top, in order, as an array of their count; the stack keeps those below.
    func popArray(from start: Int) -> [Element] {
        precondition(start >= 0 && start <= count, "ElementStack start out of range")
        let popped = count - start
        guard popped > 0 else { return [] }
        // Reserved, then filled by moving: `Array(unsafeUninitializedCapacity:)` reaches the runtime's generic
        // metadata lookup on every call here, where `reserveCapacity` is specialized for `Element`.
        var array: [Element] = []
        array.reserveCapacity(popped)
        array.append(contentsOf: Moving(position: storage + start, end: storage + count))
        count = start
        return array
    }

    /// The elements from `position` up to `end`, each moved out as it is read: they leave the stack's storage
    /// uninitialized, for the stack to forget.
    private struct Moving: Sequence, IteratorProtocol {
        var position: UnsafeMutablePointer<Element>
        let end: UnsafeMutablePointer<Element>

        var underestimatedCount: Int { end - position }

        mutating func next() -> Element? {
            guard position < end else { return nil }
            defer { position += 1 }
            return position.move()
        }
    }

    func removeAll() {
        storage.deinitialize(count: count)
        count = 0
    }

    private func grow() {
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = larger
        capacity *= 2
    }
}
