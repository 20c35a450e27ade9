import Foundation

/// Objects in slices for the cores: one task per object costs more to schedule than a small object costs to check
/// (HPAs in a lint run, in an audit).
package func batches<Element>(of items: [Element]) -> [ArraySlice<Element>] {
    let size = max(64, items.count / 64)
    return stride(from: 0, to: items.count, by: size).map { items[$0..<min($0 + size, items.count)] }
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
    return results.values
}

/// Each index is written by exactly one iteration of `concurrentPerform` and read only after all of them return,
/// so the slots never race.
private final class UnsafeResultBuffer<Result>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Result?>
    private let count: Int

    init(count: Int) {
        self.count = count
        base = .allocate(capacity: count)
        base.initialize(repeating: nil, count: count)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    func store(_ value: Result, at index: Int) { base[index] = value }

    var values: [Result] { (0..<count).map { base[$0]! } }
}
