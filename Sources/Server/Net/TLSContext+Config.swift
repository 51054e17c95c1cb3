// Kept apart from TLSContext.swift: the `tls` fuzz target compiles the TLS files without
// the gateway's configuration types.

extension TLSContext {
  /// The configured context: nil without TLS settings; a failure when only one of the two
  /// files is given or they do not load.
  static func load(for config: GatewayConfig) throws(Failure) -> TLSContext? {
    switch (config.tlsCertificateFile, config.tlsKeyFile) {
    case (nil, nil): return nil
    case (let certificate?, let key?):
      return try TLSContext(certificateFile: certificate, keyFile: key)
    case (nil, _?): throw Failure(description: "GATEWAY_TLS_KEY_FILE needs GATEWAY_TLS_CERT_FILE")
    case (_?, nil): throw Failure(description: "GATEWAY_TLS_CERT_FILE needs GATEWAY_TLS_KEY_FILE")
    }
  }
}
