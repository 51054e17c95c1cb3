import Foundation

extension JWTKey {
  /// A public key from PEM text: a `PUBLIC KEY` block (SubjectPublicKeyInfo) or an X.509
  /// `CERTIFICATE` whose key is used.
  ///
  /// RSA keys (2048 bits or more) verify RS256, RS384, RS512 and PS256 (an RSA-PSS key only
  /// PS256); EC P-256 keys verify ES256, P-384 keys ES384, Ed25519 keys EdDSA. PKCS#1
  /// `RSA PUBLIC KEY` blocks and private keys are refused: give the gateway only public keys.
  /// - Parameters:
  ///   - pem: the PEM text.
  ///   - kid: the key id, if tokens name one.
  /// - Throws: `invalidKey` if the PEM holds no usable public key.
  public static func publicKeyPEM(_ pem: String, kid: String? = nil) throws(AuthError) -> JWTKey {
    let key = try OpenSSLPublicKey(pem: pem)
    return JWTKey(kid: kid, algorithms: key.algorithms, material: .publicKey(key))
  }

  /// A public key from a PEM file; see `publicKeyPEM(_:kid:)`.
  /// - Throws: `keyFileUnreadable` if the file cannot be read, else as `publicKeyPEM(_:kid:)`.
  public static func publicKeyPEM(contentsOfFile path: String, kid: String? = nil)
    throws(AuthError) -> JWTKey
  {
    try publicKeyPEM(String(decoding: readKeyFile(path), as: UTF8.self), kid: kid)
  }

  /// The bytes of a key file.
  /// - Throws: `keyFileUnreadable`, naming the path (a path is not a secret).
  static func readKeyFile(_ path: String) throws(AuthError) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw AuthError(reason: .keyFileUnreadable, detail: "Cannot read key file \(path).")
    }
    return [UInt8](data)
  }
}
