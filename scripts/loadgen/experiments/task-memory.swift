// Experiment (not part of the build): how much memory one Swift task costs while it is
// parked in `AsyncStream.Iterator.next()`, the way an idle connection's task waits for
// readiness. Run:
//
//   swiftc -O scripts/loadgen/experiments/task-memory.swift -o /tmp/task-memory
//   for mode in inline function raw; do /tmp/task-memory $mode; done
//
// Measured on the 2-core VM (Swift 6.3.1, 20,000 tasks, RSS delta per task):
//   inline    1,588-1,598 bytes  awaits the stream directly in the task's closure
//   function  2,611-2,624 bytes  the same await one (tiny) function call deeper
//   raw       1,572 bytes        a plain `withUnsafeContinuation` one call deeper
// A task's frames live in 984-byte allocator slabs that are kept until the task ends.
// AsyncStream's own `next()` chain (its context closure, storage, cancellation handler,
// continuation) fills nearly a whole slab by itself, so any caller frame at all pushes a
// waiting task to a second slab: about 1 KB of the gateway's ~4.4 KB per idle connection.
import Glibc

func residentKilobytes() -> Int {
  guard let file = fopen("/proc/self/statm", "r") else { return 0 }
  defer { fclose(file) }
  var size = 0
  var resident = 0
  withUnsafeMutablePointer(to: &size) { sizePointer in
    withUnsafeMutablePointer(to: &resident) { residentPointer in
      _ = withVaList([sizePointer, residentPointer]) { vfscanf(file, "%ld %ld", $0) }
    }
  }
  return resident * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
}

final class Parked: @unchecked Sendable {
  private var waiters: [UnsafeContinuation<Void, Never>] = []
  private var lock = pthread_mutex_t()
  init() { pthread_mutex_init(&lock, nil) }
  func park(_ waiter: UnsafeContinuation<Void, Never>) {
    pthread_mutex_lock(&lock)
    waiters.append(waiter)
    pthread_mutex_unlock(&lock)
  }
}

@inline(never) func waitInFunction(_ stream: AsyncStream<Void>) async {
  var edges = stream.makeAsyncIterator()
  _ = await edges.next()
}

@inline(never) func waitRaw(_ parked: Parked) async {
  await withUnsafeContinuation { parked.park($0) }
}

let count = 20_000
let mode = CommandLine.arguments.dropFirst().first ?? "function"
let parked = Parked()
var streams: [(AsyncStream<Void>, AsyncStream<Void>.Continuation)] = []
for _ in 0..<count {
  streams.append(AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1)))
}
let before = residentKilobytes()
for (stream, _) in streams {
  switch mode {
  case "inline":
    Task {
      var edges = stream.makeAsyncIterator()
      _ = await edges.next()
    }
  case "raw": Task { await waitRaw(parked) }
  default: Task { await waitInFunction(stream) }
  }
}
try? await Task.sleep(for: .seconds(1))
print(mode, "bytes per parked task:", (residentKilobytes() - before) * 1024 / count)
for (_, continuation) in streams { continuation.finish() }
