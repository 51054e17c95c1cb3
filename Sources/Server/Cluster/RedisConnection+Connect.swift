import Protocol

extension RedisConnection {
  /// Connects to `url` on `loop` and logs in; the caller then runs `run()` in its group.
  static func connect(to url: RedisURL, loop: EventLoop, limits: RESPLimits = RESPLimits())
    async throws(RedisError) -> RedisConnection
  {
    let channel: SocketChannel
    do {
      channel = try await TCPConnector.connect(
        host: url.host, port: url.port, loop: loop, outboundLimit: outboundLimit)
    } catch {
      throw .connectFailed("cannot connect to Redis at \(url.host):\(url.port): \(error)")
    }
    var handshake = RedisHandshake(url: url, channel: channel, decoder: RESPDecoder(limits: limits))
    do {
      let version = try await handshake.logIn()
      return RedisConnection(
        url: url, protocolVersion: version, channel: channel, buffer: handshake.buffer,
        decoder: handshake.decoder)
    } catch {
      channel.shutdown()
      channel.release()
      throw error
    }
  }
}
