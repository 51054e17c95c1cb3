/// One value of the Redis serialization protocol, RESP2 or RESP3
/// (<https://redis.io/docs/latest/develop/reference/protocol-spec/>).
///
/// ```
/// +OK\r\n                 simpleString      _\r\n               null (RESP3)
/// -ERR reason\r\n         error             $-1\r\n  *-1\r\n     null (RESP2)
/// :42\r\n                 integer           ,3.25\r\n           double
/// $5\r\nhello\r\n         bulkString        #t\r\n              boolean
/// *2\r\n<v><v>            array             (123…\r\n           bigNumber
/// %1\r\n<k><v>            map               =7\r\ntxt:abc\r\n   verbatimString
/// ~2\r\n<v><v>            set               >2\r\n<v><v>        push
/// !5\r\nbad x\r\n         error (blob)      |1\r\n<k><v><v>     attribute, then the value
/// ```
///
/// The decoder drops attributes (`|`) and keeps the value they annotate; a blob error (`!`)
/// becomes `.error` like a simple one. Maps keep the server's order, so they are arrays of
/// entries rather than dictionaries.
public enum RESPValue: Sendable, Equatable {
  /// A key and its value inside a RESP3 map, in the server's order.
  public struct MapEntry: Sendable, Equatable {
    /// The entry's key (usually a string, but RESP3 allows any value).
    public var key: RESPValue
    /// The entry's value.
    public var value: RESPValue

    /// An entry of `key` and `value`.
    public init(key: RESPValue, value: RESPValue) {
      self.key = key
      self.value = value
    }
  }

  /// `+`: a short status line such as `OK` or `PONG` (no CR or LF inside).
  case simpleString(String)
  /// `-` or `!`: the server's error reply, e.g. `WRONGPASS invalid username-password pair`.
  case error(String)
  /// `:`: a signed 64-bit integer.
  case integer(Int64)
  /// `$`: binary-safe bytes, exactly as stored.
  case bulkString([UInt8])
  /// `_`, or RESP2's `$-1` and `*-1`: no value.
  case null
  /// `*`: an ordered list of values.
  case array([RESPValue])
  /// `%` (RESP3): key-value entries in the server's order.
  case map([MapEntry])
  /// `~` (RESP3): an unordered collection, kept in the order it arrived.
  case set([RESPValue])
  /// `,` (RESP3): a floating-point number, including `inf`, `-inf` and `nan`.
  case double(Double)
  /// `#` (RESP3): `#t` or `#f`.
  case boolean(Bool)
  /// `(` (RESP3): an integer too large for 64 bits, as its decimal digits with optional sign.
  case bigNumber(String)
  /// `=` (RESP3): text with a three-letter format (`txt`, `mkd`).
  case verbatimString(format: String, text: [UInt8])
  /// `>` (RESP3): out-of-band data such as a pub/sub message, not a reply to a command.
  case push([RESPValue])
}
