import Protocol
import Testing

@testable import Server

@Suite struct SessionForwarderTests {
  static let unknown = #"{"code":1,"message":"Session ID unknown"}"#

  @Test func aPollingSessionWorksWhenEveryRequestAfterTheHandshakeGoesToTheOtherNode()
    async throws
  {
    let cluster = try await TestCluster.start()
    var onA = try await TestHTTPClient(port: cluster["a"].port)
    let sid = try await PollingSteps.handshake(&onA)
    #expect(sid.hasPrefix("a."))
    #expect(cluster["a"].context.sessions[sid] != nil)
    var onB = try await TestHTTPClient(port: cluster["b"].port)
    let greeting = try await PollingSteps.connect(&onB, sid: sid)
    #expect(greeting.count == 2)
    #expect(greeting.first?.hasPrefix(#"40{"sid":""#) == true)
    #expect(greeting.last?.hasPrefix(#"42["connected",{"message":"#) == true)
    let reply = try await PollingSteps.eventRoundTrip(&onB, sid: sid, text: "via b")
    #expect(reply.count == 2)
    #expect(reply.first?.contains(#""receivedMessage":"via b""#) == true)
    #expect(reply.last?.hasPrefix(#"4312[{"success":true,"#) == true)
    #expect(cluster["b"].context.sessions[sid] == nil)
    #expect(cluster["b"].context.metrics.forwardedRequests.load() == 4)
    #expect(cluster["a"].context.metrics.forwardedRequests.load() == 0)
    // One after another, the four requests took one pooled internal connection.
    #expect(cluster["a"].context.metrics.connectionsAccepted.load() == 2)
    onA.socket.close()
    onB.socket.close()
    await cluster.stop()
  }

  @Test func aForwardedAnswerKeepsTheOwnersStatusHeadersAndBody() async throws {
    let cluster = try await TestCluster.start()
    var onA = try await TestHTTPClient(port: cluster["a"].port)
    let sid = try await PollingSteps.handshake(&onA)
    var onB = try await TestHTTPClient(port: cluster["b"].port)
    let token = TestServer.userToken(PollingSteps.userID)
    let post = try await onB.request(
      "POST", PollingSteps.target(sid), headers: [("Origin", "http://app.test")],
      body: #"40{"token":"\#(token)"}"#)
    #expect(post.status == 200)
    #expect(post.text == "ok")
    #expect(post.headers["content-type"] == "text/html")
    #expect(post.headers["cache-control"] == "no-store")
    #expect(post.headers["access-control-allow-origin"] == "*")
    #expect(post.headers["x-gateway-cluster"] == nil)
    #expect(try await PollingSteps.poll(&onB, sid: sid).count == 2)
    // A second concurrent GET is the owner's 400, relayed as it is.
    try await onB.socket.send(
      "GET \(PollingSteps.target(sid)) HTTP/1.1\r\nHost: x\r\n\r\n")
    #expect(
      await TestServer.eventually {
        cluster["a"].context.sessions[sid]?.outbox.isPollWaiting == true
      })
    var second = try await TestHTTPClient(port: cluster["b"].port)
    let conflict = try await second.request("GET", PollingSteps.target(sid))
    #expect(conflict.status == 400)
    #expect(try await onB.readResponse().text.hasSuffix("1"))
    #expect(cluster["b"].context.metrics.forwardedRequests.load() == 4)
    onA.socket.close()
    onB.socket.close()
    second.socket.close()
    await cluster.stop()
  }

  @Test func anUpgradeSentToTheOtherNodeIsSplicedToTheOwner() async throws {
    let cluster = try await TestCluster.start()
    var onA = try await TestHTTPClient(port: cluster["a"].port)
    let sid = try await PollingSteps.handshake(&onA)
    _ = try await PollingSteps.connect(&onA, sid: sid)
    var webSocket = try await TestWebSocketClient(
      port: cluster["b"].port, target: "/socket.io/?EIO=4&transport=websocket&sid=\(sid)")
    try await webSocket.send("2probe")
    #expect(await webSocket.nextText() == "3probe")
    try await webSocket.send("5")
    #expect(
      await TestServer.eventually {
        cluster["a"].context.sessions[sid]?.outbox.transport == .websocket
      })
    try await webSocket.send(#"4213["message",{"message":"over the splice"}]"#)
    let received = await webSocket.nextText()
    #expect(received?.contains(#""receivedMessage":"over the splice""#) == true)
    #expect(await webSocket.nextText()?.hasPrefix(#"4313[{"success":true,"#) == true)
    #expect(cluster["b"].context.metrics.forwardedUpgrades.load() == 1)
    // The client closing its side ends the session on the owner.
    webSocket.close()
    #expect(await TestServer.eventually { cluster["a"].context.sessions[sid] == nil })
    onA.socket.close()
    await cluster.stop()
  }

  @Test func anOwnerTheDirectoryDoesNotKnowGivesSessionIDUnknown() async throws {
    let cluster = try await TestCluster.start()
    var onA = try await TestHTTPClient(port: cluster["a"].port)
    let sid = try await PollingSteps.handshake(&onA)
    cluster.directory.set("a", nil)
    var onB = try await TestHTTPClient(port: cluster["b"].port)
    let response = try await onB.request("GET", PollingSteps.target(sid))
    #expect(response.status == 400)
    #expect(response.text == Self.unknown)
    #expect(response.headers["content-type"] == "application/json")
    #expect(cluster["b"].context.metrics.forwardingFailures.load() == 1)
    #expect(
      cluster["b"].logLines.all.filter { $0.contains("session owner unreachable") }.count == 1)
    onA.socket.close()
    onB.socket.close()
    await cluster.stop()
  }

  @Test func anOwnerThatRefusesConnectionsGivesSessionIDUnknown() async throws {
    let cluster = try await TestCluster.start(["a", "b", "c"])
    var onA = try await TestHTTPClient(port: cluster["a"].port)
    let sid = try await PollingSteps.handshake(&onA)
    let deadPort = cluster["c"].port
    await cluster["c"].stop()
    cluster.directory.set("a", "127.0.0.1:\(deadPort)")
    var onB = try await TestHTTPClient(port: cluster["b"].port)
    let response = try await onB.request("POST", PollingSteps.target(sid), body: "40")
    #expect(response.status == 400)
    #expect(response.text == Self.unknown)
    // An upgrade gets the JS server's plain answer for an unknown session.
    var upgrade = try await TestHTTPClient(port: cluster["b"].port)
    let refused = try await upgrade.request(
      "GET", "/socket.io/?EIO=4&transport=websocket&sid=\(sid)",
      headers: [
        ("Upgrade", "websocket"), ("Connection", "Upgrade"),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13"),
      ])
    #expect(refused.status == 400)
    #expect(refused.text == "Session ID unknown")
    #expect(cluster["b"].context.metrics.forwardingFailures.load() == 2)
    onA.socket.close()
    onB.socket.close()
    upgrade.socket.close()
    await cluster["a"].stop()
    await cluster["b"].stop()
  }

  @Test func aForwardedRequestIsNeverForwardedAgain() async throws {
    let cluster = try await TestCluster.start()
    var onA = try await TestHTTPClient(port: cluster["a"].port)
    let sid = try await PollingSteps.handshake(&onA)
    let proof = ClusterProof(secret: TestCluster.secret)
    var onB = try await TestHTTPClient(port: cluster["b"].port)
    let response = try await onB.request(
      "GET", PollingSteps.target(sid),
      headers: [
        (ClusterProof.headerName, proof.value),
        (ClusterProof.clientAddressHeaderName, "192.0.2.7:4000"),
      ])
    #expect(response.status == 400)
    #expect(response.text == Self.unknown)
    #expect(cluster.directory.lookupCount == 0)
    #expect(cluster["b"].context.metrics.forwardedRequests.load() == 0)
    #expect(!cluster["a"].logLines.all.contains { $0.contains("forwarded request") })
    // Its own prefix, or none, is never forwarded either.
    for unknown in ["b.AAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAA", ".AAAA"] {
      let answer = try await onB.request("GET", PollingSteps.target(unknown))
      #expect(answer.text == Self.unknown)
    }
    #expect(cluster.directory.lookupCount == 0)
    onA.socket.close()
    onB.socket.close()
    await cluster.stop()
  }

  @Test func aHeldPollThroughTheOtherNodeIsAnsweredWhenAPushArrives() async throws {
    let cluster = try await TestCluster.start()
    var onA = try await TestHTTPClient(port: cluster["a"].port)
    let sid = try await PollingSteps.handshake(&onA)
    var onB = try await TestHTTPClient(port: cluster["b"].port)
    _ = try await PollingSteps.connect(&onB, sid: sid)
    try await onB.socket.send("GET \(PollingSteps.target(sid)) HTTP/1.1\r\nHost: x\r\n\r\n")
    #expect(
      await TestServer.eventually {
        cluster["a"].context.sessions[sid]?.outbox.isPollWaiting == true
      })
    let push = try await onA.request(
      "POST", "/api/gateway/send", headers: [("Authorization", "Bearer \(TestServer.apiKey)")],
      body:
        #"{"userId":"\#(PollingSteps.userID)","event":"news","message":{"n":1},"persist":false}"#)
    #expect(push.status == 201)
    let held = try await onB.readResponse()
    #expect(held.status == 200)
    #expect(held.text.hasPrefix(#"42["news",{"n":1}"#))
    onA.socket.close()
    onB.socket.close()
    await cluster.stop()
  }

  @Test func aClientHangingUpDuringAForwardedPollEndsTheSessionOnTheOwner() async throws {
    let cluster = try await TestCluster.start()
    var onA = try await TestHTTPClient(port: cluster["a"].port)
    let sid = try await PollingSteps.handshake(&onA)
    var onB = try await TestHTTPClient(port: cluster["b"].port)
    _ = try await PollingSteps.connect(&onB, sid: sid)
    try await onB.socket.send("GET \(PollingSteps.target(sid)) HTTP/1.1\r\nHost: x\r\n\r\n")
    #expect(
      await TestServer.eventually {
        cluster["a"].context.sessions[sid]?.outbox.isPollWaiting == true
      })
    onB.socket.close()
    #expect(await TestServer.eventually { cluster["a"].context.sessions[sid] == nil })
    onA.socket.close()
    await cluster.stop()
  }

  @Test func aClientGoneBeforeItsPollWasForwardedStillEndsTheSessionOnTheOwner() async throws {
    // The request and the FIN reach b together: a must still see the GET end at once.
    let cluster = try await TestCluster.start()
    var onA = try await TestHTTPClient(port: cluster["a"].port)
    let sid = try await PollingSteps.handshake(&onA)
    let intruder = try await TestSocket.connect(port: cluster["b"].port)
    try await intruder.send("GET \(PollingSteps.target(sid)) HTTP/1.1\r\nHost: x\r\n\r\n")
    intruder.shutdownWrite()
    #expect(await TestServer.eventually { cluster["a"].context.sessions[sid] == nil })
    #expect(cluster["b"].context.metrics.forwardingFailures.load() == 0)
    intruder.close()
    onA.socket.close()
    await cluster.stop()
  }
}
