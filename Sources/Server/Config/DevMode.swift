import Auth
import Glibc
import Protocol

/// `--dev`: a generated secret when none is set, and ready-to-use tokens printed at start;
/// with `--tls`, a throwaway certificate and how to trust it.
enum DevMode {
  /// The user id in the printed user token (the seed's example id).
  static let sampleUserID = "507f1f77bcf86cd799439011"

  /// Fills in a random HS256 secret when no key is configured.
  static func prepare(_ config: inout GatewayConfig) {
    guard config.jwtSecret == nil, config.jwtPublicKeyFile == nil, config.jwksFile == nil else {
      return
    }
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    config.jwtSecret = bytes.map {
      String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
    }.joined()
  }

  /// The text printed to standard output once the gateway listens.
  static func banner(config: GatewayConfig, port: Int, tls: Bool) -> String {
    let host = config.host == "0.0.0.0" || config.host == "::" ? "127.0.0.1" : config.host
    let scheme = tls ? "https" : "http"
    let base = "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    guard let secret = config.jwtSecret else {
      return
        "gateway --dev: listening on \(base); tokens are not printed because only public keys are configured."
    }
    let signer = JWTSigner(secret: Array(secret.utf8))
    let now = Int(Clock.unixSeconds())
    let expiry = now + 24 * 3600
    let userToken = signer.sign(
      claimsJSON: #"{"sub":"\#(sampleUserID)","iat":\#(now),"exp":\#(expiry)}"#)
    let adminToken = signer.sign(
      claimsJSON: #"{"sub":"dev-admin","roles":["admin"],"iat":\#(now),"exp":\#(expiry)}"#)
    let body =
      #"{"userId":"\#(sampleUserID)","event":"notification","message":{"title":"Test","body":"This is a test notification"}}"#
    return """
      gateway --dev: listening on \(base) (development mode: not for production)
      JWT secret (HS256): \(secret)
        keep it with: export GATEWAY_JWT_SECRET=\(secret)
      User token (sub=\(sampleUserID), valid 24 h):
      \(userToken)
      Admin token (roles=[admin], for the REST API, valid 24 h):
      \(adminToken)
      Connect a client:  io("\(base)", { auth: { token: "<user token>" } })
      Dashboard: \(base)/dashboard (sign in with the admin token)
      Push to that user:
      curl -sS -X POST \(base)/api/gateway/send -H "Authorization: Bearer \(adminToken)" -H "Content-Type: application/json" -d '\(body)'
      """
  }

  /// The `--dev --tls` lines: the certificate's SHA-256 fingerprint, where its PEM was
  /// written (the certificate only, never the key) and how to make clients trust it.
  static func certificateBanner(_ certificate: TLSContext.SelfSigned) -> String {
    let file = writeTemporary(certificate.certificatePEM, name: "cert.pem")
    return """
      TLS: throwaway self-signed certificate for localhost, 127.0.0.1 and ::1 (30 days, in memory)
        SHA-256 fingerprint: \(certificate.fingerprint)
        certificate (PEM): \(file ?? "not written")
          curl --cacert <that file> …; Python ssl cafile=<that file>; Node NODE_EXTRA_CA_CERTS=<that file>
        Chromium: --ignore-certificate-errors-spki-list=\(certificate.publicKeyHash)
      """
  }

  /// Writes `text` to `name` in a fresh folder under `/tmp`; its path, or nil.
  private static func writeTemporary(_ text: String, name: String) -> String? {
    var template = Array("/tmp/gateway-dev-XXXXXX".utf8CString)
    guard let folder = mkdtemp(&template).map({ String(cString: $0) }) else { return nil }
    let path = folder + "/" + name
    guard let file = fopen(path, "w") else { return nil }
    defer { fclose(file) }
    return fputs(text, file) >= 0 ? path : nil
  }
}
