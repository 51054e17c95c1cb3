// swift-tools-version:6.0
import PackageDescription

/// Compiler settings for every Swift target, in one place: Swift 6 language mode (strict
/// concurrency) and `any` spelled out for existentials.
let swiftSettings: [SwiftSetting] = [
  .swiftLanguageMode(.v6),
  .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
  name: "Gateway",
  products: [
    .executable(name: "gateway", targets: ["Server"])
  ],
  targets: [
    .systemLibrary(
      name: "COpenSSL",
      path: "Sources/COpenSSL",
      pkgConfig: "openssl",
      providers: [.apt(["libssl-dev"])]
    ),
    .systemLibrary(name: "CSystem", path: "Sources/CSystem"),
    .systemLibrary(
      name: "CSQLite",
      path: "Sources/CSQLite",
      pkgConfig: "sqlite3",
      providers: [.apt(["libsqlite3-dev"])]
    ),
    .target(name: "Protocol", swiftSettings: swiftSettings),
    .target(name: "Auth", dependencies: ["Protocol", "COpenSSL"], swiftSettings: swiftSettings),
    .executableTarget(
      name: "Server",
      dependencies: ["Protocol", "Auth", "COpenSSL", "CSystem", "CSQLite"],
      swiftSettings: swiftSettings
    ),
    .testTarget(name: "ProtocolTests", dependencies: ["Protocol"], swiftSettings: swiftSettings),
    .testTarget(
      name: "AuthTests",
      dependencies: ["Auth"],
      resources: [.copy("Fixtures")],
      swiftSettings: swiftSettings
    ),
    .testTarget(name: "ServerTests", dependencies: ["Server"], swiftSettings: swiftSettings),
  ]
)
