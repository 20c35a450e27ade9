import Foundation

extension Process {
    /// Waits for the process to end, up to `timeout`; past it, sends SIGKILL (a process started from the test runner
    /// may inherit a mask that blocks SIGTERM), waits for that, and returns false.
    ///
    /// The wait sleeps as a task rather than blocking its thread: tests run in parallel on Swift's cooperative pool,
    /// one thread per core, and tests blocked in a wait there starve every other test's I/O, in-process servers
    /// included.
    public func exited(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        let ended = !isRunning
        if !ended { kill(processIdentifier, SIGKILL) }
        while isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        waitUntilExit()  // reaped by now: this only lets Foundation record the status
        return ended
    }
}
