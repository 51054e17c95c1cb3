import Testing

@testable import Server

/// A WebSocket session goes on in a fresh task after its first message (`HandOff`).
@Suite struct HandOffTests {
  @Test func aSessionKeepsWorkingAfterTheHandOffAndReleasesItsSocketAtTheEnd() async throws {
    let server = try await TestServer.start()
    var client = try await TestSocketIOClient.connected(port: server.port, userID: "handed")
    #expect(server.context.connections.count == 1)
    // Handled by the hand-off task: messages in, a push out.
    for round in 0..<3 {
      try await client.webSocket.send(#"42["message",{"message":\#(round)}]"#)
      let reply = await client.webSocket.nextText()
      #expect(reply?.contains(#""receivedMessage":\#(round),"#) == true, "\(reply ?? "closed")")
    }
    let pushed = await server.context.delivery.sendLive(
      event: "notification", argumentJSON: Array(#"{"n":1}"#.utf8), to: ["handed"])
    #expect(pushed == [true])
    #expect(await client.webSocket.nextText() == #"42["notification",{"n":1}]"#)
    client.webSocket.close()
    #expect(await TestServer.eventually { server.context.connections.count == 0 })
    #expect(!(await server.context.registry.isConnected("handed")))
    await server.stop()
  }

  @Test func aClientThatHangsUpWhileIdleIsUnregistered() async throws {
    let server = try await TestServer.start()
    let client = try await TestSocketIOClient.connected(port: server.port, userID: "gone")
    #expect(await server.context.registry.isConnected("gone"))
    client.webSocket.close()
    #expect(await TestServer.eventually { !(await server.context.registry.isConnected("gone")) })
    #expect(await TestServer.eventually { server.context.connections.count == 0 })
    await server.stop()
  }
}
