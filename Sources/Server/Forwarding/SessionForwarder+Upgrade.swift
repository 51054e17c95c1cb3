import Protocol

/// WebSocket upgrades for another node's session.
extension SessionForwarder {
  /// Longest wait for the owner's answer to an upgrade request (it answers at once).
  static let upgradeAnswerTimeout: Duration = .seconds(5)

  /// Sends the upgrade request to `node` on a connection of its own and relays the answer:
  /// after a `101`, `UpgradeSplice` copies bytes both ways until either side closes; any
  /// other answer goes back to the client as it is. Nil when the owner is unknown, dead or
  /// unreachable.
  func forwardUpgrade(
    _ request: HTTPRequest, to node: String, _ requestContext: RequestContext
  ) async -> RouteResult? {
    guard let address = await directory.address(ofNode: node) else {
      return failed(node, address: nil, "unknown or dead node")
    }
    var connection: InternalConnection
    do {
      connection = try await InternalConnection.open(
        address: address, loop: pool.loop, sweeper: pool.sweeper, outboundLimit: outboundLimit,
        timeout: pool.connectTimeout)
    } catch {
      return failed(node, address: address, error.description)
    }
    let bytes = ForwardedRequest.encode(
      request, address: address, proof: proof, clientAddress: requestContext.peer,
      isUpgrade: true)
    let outcome: Result<HTTPResponseParser.Response, InternalConnection.Failure>
    do {
      outcome = .success(try await connection.exchange(bytes, timeout: Self.upgradeAnswerTimeout))
    } catch {
      outcome = .failure(error)
    }
    let upstream = connection.channel
    switch outcome {
    case .failure(let error):
      connection.close()
      return failed(node, address: address, error.description)
    case .success(let response) where response.head.status == 101:
      metrics.forwardedUpgrades.add(1)
      let splice = UpgradeSplice(upstream: upstream, upstreamBytes: connection.takeBuffered())
      return .webSocket(ForwardedRequest.relay(response), splice)
    case .success(let response):
      connection.close()
      var answer = ForwardedRequest.relay(response)
      answer.closeConnection = true
      return .response(answer)
    }
  }
}
