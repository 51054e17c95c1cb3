import CLoadSystem
import Glibc
import Protocol

/// The generator's users: index → 24-hex user id (MongoDB ObjectId shape) and an HS256
/// connection token signed with the servers' shared secret.
///
/// Ids are `<8 hex of a per-run salt><16 hex of the index>`, so two scenarios against the
/// same server never share a user.
struct UserDirectory {
  private let salt: UInt32
  private let secret: [UInt8]
  private let encodedHeader: [UInt8]
  private let expiry: Int

  /// Users for a run; tokens expire an hour from now.
  init(secret: String, salt: UInt32) {
    self.salt = salt
    self.secret = Array(secret.utf8)
    encodedHeader = Array(
      Base64.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8), alphabet: .url).utf8)
    expiry = Int(time(nil)) + 3600
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// The user id of `index`, as UTF-8.
  func userID(_ index: Int) -> [UInt8] {
    var id: [UInt8] = []
    id.reserveCapacity(24)
    for shift in stride(from: 28, through: 0, by: -4) {
      id.append(Self.hexDigits[Int(salt >> UInt32(shift)) & 0xF])
    }
    let value = UInt64(index)
    for shift in stride(from: 60, through: 0, by: -4) {
      id.append(Self.hexDigits[Int(value >> UInt64(shift)) & 0xF])
    }
    return id
  }

  /// The Socket.IO CONNECT packet for `index`: `40{"token":"<jwt>"}`.
  func connectPacket(_ index: Int) -> [UInt8] {
    var packet = Array(#"40{"token":""#.utf8)
    packet.append(contentsOf: token(index))
    packet.append(contentsOf: #""}"#.utf8)
    return packet
  }

  /// `{"sub":"<id>","exp":<expiry>}` signed with HS256.
  func token(_ index: Int) -> [UInt8] {
    var claims = Array(#"{"sub":""#.utf8)
    claims.append(contentsOf: userID(index))
    claims.append(contentsOf: #"","exp":\#(expiry)}"#.utf8)
    var token = encodedHeader
    token.append(UInt8(ascii: "."))
    Base64.encode(claims, alphabet: .url, into: &token)
    var mac = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var macLength: UInt32 = 0
    let signed = secret.withUnsafeBytes { key in
      token.withUnsafeBytes { input in
        mac.withUnsafeMutableBufferPointer { output in
          HMAC(
            EVP_sha256(), key.baseAddress, Int32(key.count),
            input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count,
            output.baseAddress, &macLength)
        }
      }
    }
    precondition(signed != nil, "OpenSSL HMAC failed")
    token.append(UInt8(ascii: "."))
    Base64.encode(mac.prefix(Int(macLength)), alphabet: .url, into: &token)
    return token
  }
}
