import Dispatch
import Glibc
import Protocol

/// The running gateway: event loop, listener, sweeper, connections, the drain on
/// SIGTERM/SIGINT, and the TLS certificate reloaded on SIGHUP.
struct GatewayServer {
  let context: GatewayContext

  /// Serves until a signal arrives on `signals` (SIGTERM/SIGINT in `main`; tests send
  /// their own); returns after the drain. `internalListener` is the node's own port when
  /// nodes share the public one (`InternalListener`).
  func run(
    listener: Listener, internalListener: Listener? = nil, loop: EventLoop,
    signals: AsyncStream<Int32>
  ) async {
    let forwarder = SessionForwarder(context: context, loop: loop)
    let router = Router(context: context, forwarder: forwarder)
    await withDiscardingTaskGroup { group in
      group.addTask { await context.sweeper.run() }
      if let webhooks = context.webhooks {
        group.addTask { await webhooks.run() }
      }
      if let cluster = context.cluster {
        group.addTask { await cluster.run(context: context) }
      }
      group.addTask { [delivery = context.delivery] in
        await delivery.fanOut.run(
          registry: delivery.registry, store: delivery.store, metrics: delivery.metrics,
          repairLimit: context.cluster == nil ? nil : delivery.recoveryLimit)
      }
      group.addTask {
        for await signal in signals {
          if signal == SIGHUP {
            reloadCertificate()
            continue
          }
          context.logger.info("shutting down", ["signal": signal == SIGTERM ? "SIGTERM" : "SIGINT"])
          context.beginDraining()
          listener.close()
          internalListener?.close()
          return
        }
      }
      if let internalListener {
        group.addTask {
          await withDiscardingTaskGroup { connections in
            await acceptConnections(
              listener: internalListener, loop: loop, router: router, group: &connections)
          }
        }
      }
      await acceptConnections(listener: listener, loop: loop, router: router, group: &group)
      await drain()
      forwarder?.close()
      // Leaves the cluster: other nodes see this node's users offline at once.
      await context.cluster?.stop()
      context.sweeper.stop()
      context.delivery.fanOut.finish()
      context.webhooks?.stop()
    }
  }

  private func acceptConnections(
    listener: Listener, loop: EventLoop, router: Router, group: inout DiscardingTaskGroup
  ) async {
    let limit = context.config.maxConnections
    var readable = listener.makeReadableIterator()
    while !context.isDraining {
      switch listener.acceptOne() {
      case .success(let accepted?):
        let (fd, peer) = accepted
        context.metrics.connectionsAccepted.add(1, ordering: .relaxed)
        if context.connections.count >= limit {
          refuse(fd: fd)
          continue
        }
        let perAddress = context.config.maxConnectionsPerIP
        if perAddress > 0, !context.connections.admit(peer: peer, limit: perAddress) {
          // Accepted and closed at once: no answer, no task (a flood costs one syscall pair).
          context.metrics.connectionsRefusedPerAddress.add(1, ordering: .relaxed)
          close(fd)
          continue
        }
        let session = context.tls?.makeSession()
        if context.tls != nil, session == nil {
          if perAddress > 0 { context.connections.release(peer: peer) }
          close(fd)  // out of memory for TLS: never fall back to plain HTTP
          continue
        }
        let channel: SocketChannel
        do {
          channel = try SocketChannel(
            fd: fd, peer: peer, loop: loop, outboundLimit: context.config.outboundLimitBytes,
            metrics: context.metrics, tls: session)
        } catch {
          context.logger.error("cannot register connection", ["error": "\(error)"])
          if perAddress > 0 { context.connections.release(peer: peer) }
          close(fd)
          continue
        }
        channel.countedAddress = perAddress > 0
        context.connections.add(channel)
        group.addTask { [context] in
          var connection = HTTPConnection(channel: channel, context: context, router: router)
          if let handOff = await connection.run() {
            // Unstructured on purpose: the drain waits on `context.connections`, which
            // counts this socket until the hand-off's task releases it.
            HandOff.start(handOff)
          }
        }
      case .success(nil):
        guard await readable.next() != nil else { return }
      case .failure(let error):
        context.logger.error("accept failed", ["error": "\(error)"])
        // EMFILE/ENFILE: back off instead of spinning; connections that end free fds.
        try? await Task.sleep(for: .milliseconds(50))
      }
    }
  }

  /// SIGHUP: reads the TLS files again; new handshakes use them, open connections keep the
  /// certificate they started with. A file that does not load logs one line and changes
  /// nothing.
  private func reloadCertificate() {
    guard let tls = context.tls else {
      context.logger.info("SIGHUP ignored: TLS is off, nothing to reload")
      return
    }
    do {
      try tls.reload()
      context.logger.info("TLS certificate reloaded", ["signal": "SIGHUP"])
    } catch {
      context.logger.error(
        "TLS certificate not reloaded, the previous one stays", ["error": error.description])
    }
  }

  /// Over `GATEWAY_MAX_CONNECTIONS`: a short 503 and close, without a task.
  private func refuse(fd: Int32) {
    context.metrics.connectionsRefused.add(1, ordering: .relaxed)
    let body = Array(
      #"{"statusCode":503,"message":"Too many connections: the gateway is at GATEWAY_MAX_CONNECTIONS","error":"Service Unavailable"}"#
        .utf8)
    let response = HTTPResponse.json(503, body).encoded(keepAlive: false)
    if context.tls == nil {  // a TLS client could not read a plain answer: just close
      _ = response.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
    close(fd)
  }

  /// Closes every session with `server shutting down`, lets in-flight requests finish, then
  /// cuts what is left at the drain deadline.
  private func drain() async {
    let deadline =
      Clock.monotonicNanoseconds()
      + Int64(context.config.drainTimeoutMilliseconds) * 1_000_000
    for session in context.sessions.all {
      await session.close(.serverShuttingDown)
    }
    while context.connections.count > 0, Clock.monotonicNanoseconds() < deadline {
      context.connections.shutdown(includingBusy: false)
      try? await Task.sleep(for: .milliseconds(20))
    }
    let cut = context.connections.shutdown(includingBusy: true)
    if cut > 0 { context.logger.warning("drain deadline passed", ["connections cut": "\(cut)"]) }
  }
}
