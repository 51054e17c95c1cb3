import CLoadSystem
import Glibc

// Entry point: parse the command line, raise the descriptor limit, run one scenario, print
// its JSON line. Single-threaded: every socket lives on one epoll loop.

var environment: [String: String] = [:]
var pointer = environ
while let entry = pointer.pointee {
  let text = String(cString: entry)
  if let equals = text.firstIndex(of: "=") {
    environment[String(text[..<equals])] = String(text[text.index(after: equals)...])
  }
  pointer += 1
}

let options: LoadOptions
do {
  options = try LoadOptions.parse(
    Array(CommandLine.arguments.dropFirst()), environment: environment)
} catch {
  failUsage(error.message)
}

var limit = rlimit()
if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max {
  limit.rlim_cur = limit.rlim_max
  setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
}
signal(SIGPIPE, SIG_IGN)

if options.tls {
  guard let tlsContext = LoadTLS.makeContext() else { failUsage("--tls: OpenSSL failed") }
  StreamSocket.tlsContext = tlsContext
}
guard let context = ScenarioContext(options: options) else {
  failUsage("--host must be an IPv4 address")
}
let line: ResultLine
switch options.scenario {
case "connect": line = ConnectScenario(context: context).run()
case "push": line = PushScenario(context: context).run()
case "fanout": line = FanoutScenario(context: context).run()
case "echo": line = EchoScenario(context: context).run()
case "typing": line = TypingScenario(context: context).run()
default: line = ChurnScenario(context: context).run()
}
print(line.text)
exit(0)

/// Prints `message` to standard error and exits with status 2.
func failUsage(_ message: String) -> Never {
  let bytes = Array("loadgen: \(message)\n".utf8)
  _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
  exit(2)
}
