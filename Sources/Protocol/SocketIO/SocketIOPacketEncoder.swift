/// Writes Socket.IO packets in the string form of protocol.md §2.2, as the JS
/// `socket.io-parser` `Encoder.encodeAsString` does.
public enum SocketIOPacketEncoder {
  /// Appends the packet's string form, e.g. `2["hey","Jude"]`,
  /// `51-["x",{"_placeholder":true,"num":0}]`, `0{"sid":"..."}`, `2/admin,12["foo"]`.
  ///
  /// Like the JS encoder: the namespace is written only when it is neither `/` nor empty,
  /// the attachment count only for binary types, and a `.null` payload is omitted like an
  /// absent one (`null != obj.data` in JS). The Engine.IO `4` prefix is not written.
  public static func encode(_ packet: SocketIOPacket, into output: inout [UInt8]) {
    output.append(UInt8(ascii: "0") + packet.type.rawValue)
    if packet.type.isBinary {
      output.append(contentsOf: String(packet.attachmentCount).utf8)
      output.append(UInt8(ascii: "-"))
    }
    if !packet.namespace.isEmpty, packet.namespace != "/" {
      output.append(contentsOf: packet.namespace.utf8)
      output.append(UInt8(ascii: ","))
    }
    if let ackID = packet.ackID {
      output.append(contentsOf: String(ackID).utf8)
    }
    if let data = packet.data, data != .null {
      JSONWriter.write(data, into: &output)
    }
  }

  /// The packet's string form.
  public static func string(_ packet: SocketIOPacket) -> String {
    var output: [UInt8] = []
    encode(packet, into: &output)
    return String(decoding: output, as: UTF8.self)
  }

  /// Fast path for the gateway's push: appends the Engine.IO message
  /// `42["<event>",<argumentJSON>]` for the main namespace.
  ///
  /// - Parameters:
  ///   - event: the event name, written with JSON escaping.
  ///   - argumentJSON: one already-serialized JSON value, copied verbatim (the caller
  ///     guarantees it is valid compact JSON), so a REST push is serialized once for all
  ///     recipients.
  ///   - output: buffer to append to.
  public static func encodeEventMessage(
    event: String, argumentJSON: some Collection<UInt8>, into output: inout [UInt8]
  ) {
    output.reserveCapacity(output.count + event.utf8.count + argumentJSON.count + 8)
    output.append(contentsOf: "42[".utf8)
    JSONWriter.writeString(event, into: &output)
    output.append(UInt8(ascii: ","))
    output.append(contentsOf: argumentJSON)
    output.append(UInt8(ascii: "]"))
  }
}
