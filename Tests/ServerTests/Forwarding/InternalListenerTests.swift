import Testing

@testable import Server

@Suite struct InternalListenerTests {
  @Test func onlyClusterNodesSharingAPortGetAnInternalListener() async throws {
    let loop = try EventLoop()
    loop.start()
    var config = GatewayConfig()
    config.host = "127.0.0.1"
    #expect(try InternalListener.open(config: config, loop: loop) == nil)
    config.reusePort = true
    #expect(try InternalListener.open(config: config, loop: loop) == nil)
    config.reusePort = false
    config.cluster = ClusterSettings(redis: RedisURL(host: "127.0.0.1"))
    #expect(try InternalListener.open(config: config, loop: loop) == nil)
    config.reusePort = true
    let free = try #require(try InternalListener.open(config: config, loop: loop))
    #expect(free.port > 0)
    free.close()
    // GATEWAY_NODE_ADDR names the port.
    let port = try TestRedisServer.freePort()
    config.cluster?.nodeAddress = "10.0.0.5:\(port)"
    let named = try #require(try InternalListener.open(config: config, loop: loop))
    #expect(named.port == port)
    named.close()
    await loop.stop()
  }

  @Test func aSessionWorksWhateverNodeTheSharedPortHandsEachRequestTo() async throws {
    let cluster = try await TestCluster.startSharingAPort()
    #expect(cluster["a"].port == cluster["b"].port)
    let shared = cluster["a"].port
    // Each node's own port reaches only that node.
    for id in ["a", "b"] {
      var http = try await TestHTTPClient(port: try #require(cluster[id].internalPort))
      #expect(try await PollingSteps.handshake(&http).hasPrefix("\(id)."))
      http.socket.close()
    }
    // Handshakes on fresh connections to the shared port until both nodes own one (the
    // kernel picks a process per connection; 200 bounds an unlucky run).
    var sids: [String: String] = [:]
    for _ in 0..<200 where sids.count < 2 {
      var http = try await TestHTTPClient(port: shared)
      let sid = try await PollingSteps.handshake(&http)
      sids[String(sid.prefix { $0 != "." })] = sid
      http.socket.close()
    }
    #expect(sids.count == 2)
    // Every later request on a fresh connection to the shared port: wherever it lands, it
    // reaches the owner.
    for sid in sids.values {
      var connect = try await TestHTTPClient(port: shared)
      let greeting = try await PollingSteps.connect(&connect, sid: sid)
      #expect(greeting.last?.hasPrefix(#"42["connected""#) == true)
      connect.socket.close()
      for round in 0..<6 {
        var http = try await TestHTTPClient(port: shared)
        let reply = try await PollingSteps.eventRoundTrip(&http, sid: sid, text: "r\(round)")
        #expect(reply.first?.contains(#""receivedMessage":"r\#(round)""#) == true)
        http.socket.close()
      }
    }
    #expect(
      cluster["a"].context.metrics.forwardingFailures.load()
        + cluster["b"].context.metrics.forwardingFailures.load() == 0)
    await cluster.stop()
  }
}
