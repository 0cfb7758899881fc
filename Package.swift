// swift-tools-version:6.1
// Tinct: line-art and photo colorization with an in-process pix2pix engine.
// Dependency direction: CBLAS, CBLASKernels, CVectorLoops, CGEMMKernels → Tensors → NN → Pix2Pix → Server → tinct,
// CImageCodecs → ImageCodecs → Pix2Pix, Pix2Pix → ONNX → tinct. See ../shared/STYLE.md.
import PackageDescription

/// Release builds of numeric code drop bounds checks; debug builds keep them for tests.
let numericFlags: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))
]

let package = Package(
    name: "tinct",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tinct", targets: ["tinct"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // HTTP parts as the server pipeline carries them (Server/HTTP/ContinueAnswer.swift).
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        // Writes the OpenRaster (.ora) zip of a layered export (Pix2Pix/Export/).
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // Runtime of the generated ONNX protobuf code (Sources/ONNX/Generated/).
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0")
    ],
    targets: [
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(
            name: "CImageCodecs",
            linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("jpeg")]
        ),
        // Relaunches the process with OpenBLAS's best kernels when OpenBLAS does not know the CPU.
        .target(name: "CBLASKernels", linkerSettings: [.linkedLibrary("openblas")]),
        .target(name: "CVectorLoops", cSettings: [.unsafeFlags(["-O2", "-ffp-contract=off", "-fno-math-errno"])]),
        .target(name: "CGEMMKernels", cSettings: [.unsafeFlags(["-O2", "-ffp-contract=fast", "-Wno-psabi"])]),
        .target(
            name: "Tensors", dependencies: ["CBLAS", "CBLASKernels", "CVectorLoops", "CGEMMKernels"],
            swiftSettings: numericFlags),
        // Open MPI for `mpirun -np N tinct train`, loaded at run time only under mpirun (NN/Distributed/).
        .target(name: "CMPI", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "NN", dependencies: ["Tensors", "CMPI", "CVectorLoops"], swiftSettings: numericFlags),
        .target(name: "ImageCodecs", dependencies: ["CImageCodecs"], swiftSettings: numericFlags),
        .target(
            name: "Pix2Pix",
            dependencies: [
                "NN", "Tensors", "CVectorLoops", "ImageCodecs", .product(name: "ZIPFoundation", package: "ZIPFoundation")
            ],
            swiftSettings: numericFlags
        ),
        .target(
            name: "Server",
            dependencies: [
                "Pix2Pix", "ImageCodecs",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // Only for the connection guards around the HTTP decoder (Server/HTTP/).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras")
            ]
        ),
        // `tinct export-onnx`: the generator as an ONNX graph.
        .target(
            name: "ONNX",
            dependencies: ["Pix2Pix", "NN", "Tensors", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["Generated/NOTICE.md"]
        ),
        .executableTarget(
            name: "tinct",
            dependencies: [
                "Server", "Pix2Pix", "NN", "Tensors", "ImageCodecs", "ONNX",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ],
            swiftSettings: numericFlags
        ),
        .target(name: "TestSupport", dependencies: ["Tensors", "NN"], path: "Tests/TestSupport"),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "TestSupport", "CGEMMKernels"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "Tensors", "TestSupport", "CVectorLoops"], exclude: ["Fixtures"]),
        .testTarget(
            name: "ImageCodecsTests", dependencies: ["ImageCodecs", "Tensors"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "Pix2PixTests", dependencies: ["Pix2Pix", "NN", "Tensors", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(name: "tinctTests", dependencies: ["tinct", "Pix2Pix"]),
        .testTarget(name: "ONNXTests", dependencies: ["ONNX", "Pix2Pix", "NN"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Pix2Pix", "ImageCodecs", "Tensors", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket")
            ]
        )
    ]
)
