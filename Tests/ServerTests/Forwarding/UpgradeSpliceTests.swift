import Protocol
import Testing

@testable import Server

@Suite struct UpgradeSpliceTests {
  /// A polling session on a, connected as the test user, upgraded through b; returns the
  /// WebSocket and the sid.
  private static func upgradedThroughB(_ cluster: TestCluster) async throws -> (
    TestWebSocketClient, String, TestHTTPClient
  ) {
    var onA = try await TestHTTPClient(port: cluster["a"].port)
    let sid = try await PollingSteps.handshake(&onA)
    _ = try await PollingSteps.connect(&onA, sid: sid)
    var webSocket = try await TestWebSocketClient(
      port: cluster["b"].port, target: "/socket.io/?EIO=4&transport=websocket&sid=\(sid)")
    try await webSocket.send("2probe")
    guard await webSocket.nextText() == "3probe" else {
      throw TestSocket.Failure(description: "no 3probe through the splice")
    }
    try await webSocket.send("5")
    guard
      await TestServer.eventually({
        cluster["a"].context.sessions[sid]?.outbox.transport == .websocket
      })
    else { throw TestSocket.Failure(description: "the upgrade did not complete") }
    return (webSocket, sid, onA)
  }

  @Test func aLargePushCrossesTheSpliceIntact() async throws {
    let cluster = try await TestCluster.start()
    var (webSocket, _, onA) = try await Self.upgradedThroughB(cluster)
    let large = String(repeating: "x", count: 600_000)
    for _ in 0..<3 {
      let push = try await onA.request(
        "POST", "/api/gateway/send", headers: [("Authorization", "Bearer \(TestServer.apiKey)")],
        body:
          #"{"userId":"\#(PollingSteps.userID)","event":"big","message":"\#(large)","persist":false}"#
      )
      #expect(push.status == 201)
    }
    for _ in 0..<3 {
      #expect(await webSocket.nextText() == #"42["big","\#(large)"]"#)
    }
    webSocket.close()
    onA.socket.close()
    await cluster.stop()
  }

  @Test func theOwnerEndingTheWebSocketClosesTheClientsConnection() async throws {
    let cluster = try await TestCluster.start()
    var (webSocket, _, onA) = try await Self.upgradedThroughB(cluster)
    onA.socket.close()
    await cluster["a"].stop()
    // The close frame the owner sent on shutdown, then the end of the stream.
    var sawClose = false
    while let message = await webSocket.next() {
      if case .close = message { sawClose = true }
    }
    #expect(sawClose)
    // b let go of the client's connection too.
    #expect(await TestServer.eventually { cluster["b"].context.connections.count == 0 })
    webSocket.close()
    await cluster["b"].stop()
  }
}
