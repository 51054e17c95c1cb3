import Auth
import CSystem
import Foundation
import Glibc

// Entry point: configuration, limits, event loop, listener, then serve until a signal.

let environment = ProcessInfo.processInfo.environment
var config: GatewayConfig
do {
  switch try ConfigParser.parse(
    arguments: Array(CommandLine.arguments.dropFirst()), environment: environment)
  {
  case .help:
    print(ConfigParser.helpText())
    exit(0)
  case .version:
    print("gateway \(GatewayVersion.string)")
    exit(0)
  case .run(let parsed):
    config = parsed
  }
} catch {
  FileHandle.standardError.write(Data("gateway: \(error.description)\n".utf8))
  exit(2)
}

if config.dev { DevMode.prepare(&config) }
let logger = Logger.standardError(level: config.logLevel, format: config.logFormat)
let verifier: JWTVerifier
do {
  verifier = try KeyLoader.verifier(for: config)
} catch {
  FileHandle.standardError.write(Data("gateway: \(error.description)\n".utf8))
  exit(2)
}

// A peer that vanishes mid-write must give EPIPE, not kill the process.
signal(SIGPIPE, SIG_IGN)
config.maxConnections =
  config.maxConnections > 0 ? config.maxConnections : ResourceLimits.raiseOpenFiles() - 64
if let secret = config.jwtSecret, secret.utf8.count < 32, !config.dev {
  // RFC 7518 §3.2: an HS256 key must be at least 256 bits.
  logger.warning("GATEWAY_JWT_SECRET is shorter than 32 bytes: use a longer random secret")
}
if config.apiRole.isEmpty {
  logger.warning("GATEWAY_API_ROLE is empty: any valid user token can call the REST API")
}
if config.conformance {
  logger.warning("conformance mode: test-suite handlers are mounted; never use in production")
}

let tls: TLSContext?
var devCertificate: TLSContext.SelfSigned?
do {
  if config.devTLS {
    devCertificate = try TLSContext.selfSigned()
    tls = devCertificate?.context
  } else {
    tls = try TLSContext.load(for: config)
  }
} catch {
  FileHandle.standardError.write(Data("gateway: \(error.description)\n".utf8))
  exit(2)
}
let loop: EventLoop
let listener: Listener
let internalListener: Listener?
do {
  loop = try EventLoop()
  loop.start()
  listener = try Listener(
    host: config.host, port: config.port, loop: loop, reusePort: config.reusePort)
  internalListener = try InternalListener.open(config: config, loop: loop)
} catch {
  FileHandle.standardError.write(Data("gateway: \(error.description)\n".utf8))
  exit(1)
}
let store: any MessageStore
var cluster: ClusterStart.Started?
if let settings = config.cluster {
  let host = ["0.0.0.0", "::", ""].contains(config.host) ? "127.0.0.1" : config.host
  if settings.nodeAddress == nil, host == "127.0.0.1", config.host != "127.0.0.1" {
    logger.warning(
      "GATEWAY_NODE_ADDR is not set: other nodes will forward to 127.0.0.1, which works only on this machine"
    )
  }
  do {
    cluster = try await ClusterStart.start(
      settings, config: config, loop: loop, logger: logger,
      listenAddress: "\(host):\(internalListener?.port ?? listener.port)")
  } catch {
    FileHandle.standardError.write(Data("gateway: \(error.description)\n".utf8))
    exit(1)
  }
  store = cluster!.store
} else {
  do {
    store = try config.store.open(config)
  } catch {
    FileHandle.standardError.write(
      Data(
        "gateway: cannot open the message store \(config.store.description): \(error.message)\n"
          .utf8))
    exit(1)
  }
}
let storeTask = Task { [redisStore = cluster?.store] in await redisStore?.run() }
let context = GatewayContext(
  config: config, logger: logger, verifier: verifier, store: store, tls: tls,
  cluster: cluster?.node, nodeDirectory: cluster?.node)
do {
  try await context.rooms.load()
} catch {
  FileHandle.standardError.write(
    Data("gateway: cannot read rooms from the message store: \(error.message)\n".utf8))
  exit(1)
}
logger.info(
  "listening",
  [
    "host": config.host, "port": "\(listener.port)", "max_connections": "\(config.maxConnections)",
    "store": config.store.description,
    "tls": tls == nil ? "off" : "on",
    "node": config.cluster?.nodeID ?? "-",
    "internal_port": internalListener.map { "\($0.port)" } ?? "-",
  ])
if config.dev {
  FileHandle.standardOutput.write(
    Data(
      (DevMode.banner(config: config, port: listener.port, tls: tls != nil)
        + (devCertificate.map { "\n" + DevMode.certificateBanner($0) } ?? "") + "\n").utf8))
}

await GatewayServer(context: context).run(
  listener: listener, internalListener: internalListener, loop: loop,
  signals: SignalStream.make([SIGTERM, SIGINT, SIGHUP]))
store.close()
await storeTask.value
cluster?.storeClient?.close()
await loop.stop()
logger.info("stopped")
exit(0)
