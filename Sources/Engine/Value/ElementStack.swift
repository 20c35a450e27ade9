/// A stack whose top elements leave it as one array of their exact count, moved rather than copied.
///
/// The YAML loader and the JSON parser collect the members of each open mapping or object (and the items of each
/// open sequence or array) here, so that a container's array is allocated once, at its size, when it closes.
/// Appended to directly, it would be reallocated through capacities 1, 2, 4, 8, … and keep up to half of its last
/// one unused for as long as its document is kept.
/// Moving leaves each element's references as they are: copying a slice out and removing it would retain and release
/// every string of every member.
public final class ElementStack<Element> {
    // Unchecked: a class's stored properties are otherwise checked for overlapping access at run time on every
    // read and write, and a parser's stack is touched for every value. Nothing here hands out an access that spans
    // a call back into the stack.
    @exclusivity(unchecked) @usableFromInline var storage: UnsafeMutablePointer<Element>
    @exclusivity(unchecked) @usableFromInline var capacity: Int
    /// Elements held, the open containers' together: the innermost container's are the last.
    @inlinable public var count: Int { height }
    @exclusivity(unchecked) @usableFromInline var height = 0

    @inlinable
    public init(capacity: Int = 64) {
        self.capacity = max(capacity, 1)
        storage = .allocate(capacity: self.capacity)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    @inlinable
    public func append(_ element: consuming Element) {
        if count == capacity { grow() }
        (storage + count).initialize(to: element)
        height += 1
    }

    @inlinable
    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "ElementStack position out of range")
        return storage[position]
    }

    /// The element at `position` (below `count`), replaced in place.
    @inlinable
    public func replace(at position: Int, with element: consuming Element) {
        precondition(position >= 0 && position < count, "ElementStack position out of range")
        storage[position] = element
    }

    /// The first position from `start` whose element matches.
    @inlinable
    public func firstIndex(from start: Int, where matches: (borrowing Element) -> Bool) -> Int? {
        var position = start
        while position < count {
            if matches(storage[position]) { return position }
            position += 1
        }
        return nil
    }

    /// The elements from `start` to the top, in order, as an array of their count; the stack keeps those below.
    @inlinable
    public func popArray(from start: Int) -> [Element] {
        precondition(start >= 0 && start <= count, "ElementStack start out of range")
        let popped = count - start
        guard popped > 0 else { return [] }
        // Reserved, then filled by moving: `Array(unsafeUninitializedCapacity:)` reaches the runtime's generic
        // metadata lookup on every call here, where `reserveCapacity` is specialized for `Element`.
        var array: [Element] = []
        array.reserveCapacity(popped)
        array.append(contentsOf: Moving(position: storage + start, end: storage + count))
        height = start
        return array
    }

    /// The elements from `position` up to `end`, each moved out as it is read: they leave the stack's storage
    /// uninitialized, for the stack to forget.
    @usableFromInline
    struct Moving: Sequence, IteratorProtocol {
        @usableFromInline var position: UnsafeMutablePointer<Element>
        @usableFromInline let end: UnsafeMutablePointer<Element>

        @inlinable
        init(position: UnsafeMutablePointer<Element>, end: UnsafeMutablePointer<Element>) {
            self.position = position
            self.end = end
        }

        @inlinable
        var underestimatedCount: Int { end - position }

        @inlinable
        mutating func next() -> Element? {
            guard position < end else { return nil }
            defer { position += 1 }
            return position.move()
        }
    }

    @inlinable
    public func removeAll() {
        storage.deinitialize(count: count)
        height = 0
    }

    @usableFromInline
    func grow() {
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = larger
        capacity *= 2
    }
}

/// Objects up to this many members look for a key by a scan of their members; wider ones through an index.
@usableFromInline let memberScanLimit = 32

extension ElementStack where Element == JSONObject.Member {

    /// Where, among the members of the open object that start at `start`, one named `key` is, if one is.
    ///
    /// Kubernetes objects have a handful of keys, where a scan beats hashing; a hostile one can have a hundred
    /// thousand, where a scan per key would be quadratic. So an object's members go into `index` once it is wider
    /// than `memberScanLimit`; `appendMember` keeps that index up to date after.
    @inlinable
    public func position(of key: String, from start: Int, index: inout [String: Int]?) -> Int? {
        if index == nil {
            if count - start <= memberScanLimit {
                return firstIndex(from: start) { $0.key.isSameText(as: key) }
            }
            var built: [String: Int] = [:]
            for position in start..<count { built[storage[position].key] = position }
            index = built
        }
        return index?[key]
    }

    /// Appends a member of the open object whose index (if it has one yet) is `index`.
    @inlinable
    public func appendMember(_ member: consuming JSONObject.Member, index: inout [String: Int]?) {
        index?[member.key] = count
        append(member)
    }
}
