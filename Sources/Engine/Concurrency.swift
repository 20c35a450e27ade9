import Foundation

/// Objects in slices for the cores: one task per object costs more to schedule than a small object costs to check
/// (HPAs in a lint run, in an audit).
package func batches<Items: RandomAccessCollection>(of items: Items) -> [Items.SubSequence] where Items.Index == Int {
    let size = max(64, items.count / 64)
    return stride(from: items.startIndex, to: items.endIndex, by: size).map {
        items[$0..<min($0 + size, items.endIndex)]
    }
}

/// `map` over all cores, results in input order.
package func concurrentMap<Element: Sendable, Result: Sendable>(
    _ items: [Element], _ transform: @Sendable (Element) -> Result
) -> [Result] {
    guard items.count > 1 else { return items.map(transform) }
    let results = UnsafeResultBuffer<Result>(count: items.count)
    DispatchQueue.concurrentPerform(iterations: items.count) { index in
        results.store(transform(items[index]), at: index)
    }
    return results.takeValues()
}

/// `first` and `second` at once, on two cores; their results.
package func concurrently<First: Sendable, Second: Sendable>(
    _ first: @Sendable () -> First, _ second: @Sendable () -> Second
) -> (First, Second) {
    let firstResult = UnsafeResultBuffer<First>(count: 1)
    let secondResult = UnsafeResultBuffer<Second>(count: 1)
    DispatchQueue.concurrentPerform(iterations: 2) { index in
        if index == 0 { firstResult.store(first(), at: 0) } else { secondResult.store(second(), at: 0) }
    }
    return (firstResult.takeValues()[0], secondResult.takeValues()[0])
}

/// Releases `items` on all cores: tens of thousands of object trees, freed node by node, are otherwise one core's
/// work while the others stand idle. The caller holds no other reference to what `items` holds, or that reference
/// frees it later, on one core.
package func releaseConcurrently<Element: Sendable>(_ items: consuming [Element]) {
    let slots = UnsafeResultBuffer<Element>(count: items.count)
    for (index, item) in items.enumerated() { slots.store(item, at: index) }
    _ = consume items
    let ranges = batches(of: 0..<slots.count)
    DispatchQueue.concurrentPerform(iterations: ranges.count) { batch in
        for index in ranges[batch] { slots.clear(at: index) }
    }
}

/// Each index is written by exactly one iteration of `concurrentPerform` and read only after all of them return,
/// so the slots never race.
private final class UnsafeResultBuffer<Result>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Result?>
    let count: Int
    /// Set once the values have been moved out: the slots are then uninitialized.
    private var isTaken = false

    init(count: Int) {
        self.count = count
        base = .allocate(capacity: count)
        base.initialize(repeating: nil, count: count)
    }

    deinit {
        if !isTaken { base.deinitialize(count: count) }
        base.deallocate()
    }

    func store(_ value: Result, at index: Int) { base[index] = value }

    func clear(at index: Int) { base[index] = nil }

    /// The values, moved out once every slot holds one: a copy would retain every reference in them here and
    /// release it again when the buffer goes, on one core, tens of thousands of times for a lint run's files.
    func takeValues() -> [Result] {
        precondition(!isTaken, "the values were taken already")
        isTaken = true
        var values: [Result] = []
        values.reserveCapacity(count)
        for index in 0..<count { values.append((base + index).move()!) }
        return values
    }
}
