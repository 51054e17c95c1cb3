import Glibc
import Protocol
import Testing

@testable import Server

/// The log-in's branches against a scripted server over `socketpair(2)`: the RESP2
/// fallback, refusals of each step, and a hang-up halfway.
@Suite struct RedisHandshakeTests {
  static func logIn(_ url: RedisURL, over pair: TestChannelPair) async -> Result<Int, RedisError> {
    var handshake = RedisHandshake(url: url, channel: pair.server, decoder: RESPDecoder())
    do {
      return .success(try await handshake.logIn())
    } catch {
      return .failure(error)
    }
  }

  /// Reads `command` as the server and answers `reply`.
  static func serve(_ pair: TestChannelPair, expecting command: [String], reply: String) async {
    var bytes: [UInt8] = []
    RESPEncoder.encodeCommand(command, into: &bytes)
    let received = await pair.readFromClient(count: bytes.count)
    #expect(received == bytes, "expected \(command)")
    pair.writeFromClient(Array(reply.utf8))
  }

  static let helloMap = "%1\r\n$5\r\nproto\r\n:3\r\n"

  @Test func unknownHelloFallsBackToRESP2AndAuthWithPasswordOnly() async throws {
    let pair = try TestChannelPair()
    let url = RedisURL(host: "pair", port: 1, password: "pw")
    async let result = Self.logIn(url, over: pair)
    await Self.serve(
      pair, expecting: ["HELLO", "3", "AUTH", "default", "pw"],
      reply: "-ERR unknown command 'HELLO', with args beginning with: \r\n")
    await Self.serve(pair, expecting: ["AUTH", "pw"], reply: "+OK\r\n")
    #expect(await result == .success(2))
    await pair.close()
  }

  @Test func noProtoFallsBackAndAWrongPasswordIsAnAuthenticationFailure() async throws {
    let pair = try TestChannelPair()
    let url = RedisURL(host: "pair", port: 1, username: "u", password: "pw")
    async let result = Self.logIn(url, over: pair)
    await Self.serve(
      pair, expecting: ["HELLO", "3", "AUTH", "u", "pw"], reply: "-NOPROTO unsupported\r\n")
    await Self.serve(
      pair, expecting: ["AUTH", "u", "pw"],
      reply: "-WRONGPASS invalid username-password pair or user is disabled.\r\n")
    #expect(
      await result
        == .failure(
          .authenticationFailed(
            "Redis at pair:1 refused the login: "
              + "WRONGPASS invalid username-password pair or user is disabled.")))
    await pair.close()
  }

  @Test func refusedSelectIsASetupFailure() async throws {
    let pair = try TestChannelPair()
    let url = RedisURL(host: "pair", port: 1, database: 20)
    async let result = Self.logIn(url, over: pair)
    await Self.serve(pair, expecting: ["HELLO", "3"], reply: Self.helloMap)
    await Self.serve(
      pair, expecting: ["SELECT", "20"], reply: "-ERR DB index is out of range\r\n")
    #expect(
      await result
        == .failure(.setupFailed("Redis at pair:1 refused SELECT 20: ERR DB index is out of range"))
    )
    await pair.close()
  }

  @Test func otherHelloErrorIsASetupFailure() async throws {
    let pair = try TestChannelPair()
    async let result = Self.logIn(RedisURL(host: "pair", port: 1), over: pair)
    await Self.serve(pair, expecting: ["HELLO", "3"], reply: "-LOADING Redis is loading\r\n")
    #expect(
      await result
        == .failure(.setupFailed("Redis at pair:1 refused HELLO: LOADING Redis is loading")))
    await pair.close()
  }

  @Test func helloMapInPiecesGivesRESP3() async throws {
    let pair = try TestChannelPair()
    async let result = Self.logIn(RedisURL(host: "pair", port: 1), over: pair)
    var bytes: [UInt8] = []
    RESPEncoder.encodeCommand(["HELLO", "3"], into: &bytes)
    _ = await pair.readFromClient(count: bytes.count)
    for byte in Array(Self.helloMap.utf8) { pair.writeFromClient([byte]) }
    #expect(await result == .success(3))
    await pair.close()
  }

  @Test func hangUpDuringLogInIsConnectionLost() async throws {
    let pair = try TestChannelPair()
    async let result = Self.logIn(RedisURL(host: "pair", port: 1), over: pair)
    var bytes: [UInt8] = []
    RESPEncoder.encodeCommand(["HELLO", "3"], into: &bytes)
    _ = await pair.readFromClient(count: bytes.count)
    Glibc.shutdown(pair.clientFD, Int32(SHUT_RDWR))
    #expect(
      await result
        == .failure(.connectionLost("Redis at pair:1 closed the connection during log-in")))
    await pair.close()
  }
}
