import Testing

@testable import Server

@Suite struct ConnectionActorSeedTests {
  /// Regression: a text EVENT whose data merely looks like a binary placeholder closed the
  /// session (its `num` named no attachment); the JS server echoes such data as it is.
  @Test(arguments: [
    #"{"_placeholder":true,"num":5}"#, #"{"_placeholder":true,"num":0}"#,
    #"[{"_placeholder":true}]"#,
  ])
  func placeholderShapedDataInATextEventIsEchoedAsData(data: String) async throws {
    let server = try await TestServer.start()
    var client = try await TestSocketIOClient.connected(port: server.port, userID: "shapes")
    try await client.webSocket.send(#"42["message",{"message":\#(data)}]"#)
    let reply = await client.webSocket.nextText()
    #expect(
      reply?.hasPrefix(
        #"42["messageReceived",{"success":true,"message":"Message received by server","data":{"receivedMessage":\#(data),"timestamp":""#
      ) == true, "\(reply ?? "closed")")
    #expect(await server.context.registry.isConnected("shapes"))
    client.webSocket.close()
    await server.stop()
  }

  @Test func aBinaryEventWhosePlaceholderNamesNoAttachmentClosesTheSession() async throws {
    let server = try await TestServer.start()
    var client = try await TestSocketIOClient.connected(port: server.port, userID: "liar")
    try await client.webSocket.send(#"451-["message",{"_placeholder":true,"num":1}]"#)
    try await client.webSocket.send(binary: [1])
    #expect(await client.webSocket.nextText() == nil)
    #expect(await TestServer.eventually { !(await server.context.registry.isConnected("liar")) })
    await server.stop()
  }
}
