import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import Tensors

/// Assembles the Tinct web application: middleware, static files, pages and API routes.
///
/// Reads templates at startup, so a broken or missing template fails here rather than on the
/// first request. Listens on `configuration.host`/`port` once `runService()` is called.
/// - Throws: `ServerError.tokenRequired` for a non-loopback host without an access token.
public func buildApplication(configuration: ServerConfiguration) async throws -> some ApplicationProtocol {
    let inference = InferenceService(modelsDirectory: configuration.modelsDirectory, limits: configuration.limits)
    return try await buildApplication(configuration: configuration, inference: inference)
}

/// Assembles the application around given services (tests hold on to them).
func buildApplication(
    configuration: ServerConfiguration, inference: InferenceService, training: TrainingService? = nil,
    socketGauge: SocketGauge = SocketGauge()
) async throws -> some ApplicationProtocol {
    try NetworkExposure.check(configuration)
    var logger = Logger(label: "tinct.server")
    logger.logLevel = Environment().get("LOG_LEVEL").flatMap { Logger.Level(rawValue: $0) } ?? .info

    let training = training ?? TrainingService(configuration: configuration, inference: inference)
    let admission = SocketAdmission(gauge: socketGauge, maxSockets: configuration.connections.maxWebSockets)
    let router = try await buildRouter(configuration: configuration, inference: inference, training: training, logger: logger)
    // WebSocket upgrades have their own router, so ordinary requests never match its paths.
    // An upgrade without the token (401), from another origin or host (403) or past the
    // socket cap (503) is not upgraded; `UpgradeRefusalMiddleware` sends that answer with its
    // reason in place of the WebSocket library's empty 400, and the connection is closed.
    let webSocketRouter = Router(context: SocketRequestContext.self)
    webSocketRouter.add(middleware: UpgradeRefusalMiddleware())
    webSocketRouter.add(middleware: SecurityHeadersMiddleware())
    if let token = configuration.accessToken { webSocketRouter.add(middleware: AccessTokenMiddleware(token: token)) }
    webSocketRouter.add(middleware: CrossSiteGuardMiddleware(boundary: configuration.siteBoundary))
    let timeout = configuration.webSocketSendTimeout
    ColorizeSocket(inference: inference, sendTimeout: timeout, gauge: socketGauge, admission: admission).addRoute(to: webSocketRouter)
    TrainSocket(training: training, sendTimeout: timeout, gauge: socketGauge, admission: admission).addRoute(to: webSocketRouter)
    logger.info(
        "Tinct \(TinctVersion.version) configured",
        metadata: [
            "public": "\(configuration.publicDirectory)",
            "templates": "\(configuration.templatesDirectory)",
            "models": "\(configuration.modelsDirectory)",
            "dataRoot": "\(configuration.dataRoot)",
            "runs": "\(configuration.runsDirectory)",
            "access": "\(configuration.accessToken == nil ? "open (loopback only)" : "token required")",
            "blas": "\(BLASKernels.summary)"
        ]
    )
    if configuration.accessToken != nil {
        logger.info("Open http://\(configuration.host):\(configuration.port)/?token=<your token> once in each browser.")
    }
    let webSocketResponder = webSocketRouter.buildResponder()
    let connections = ConnectionCounter(limit: configuration.connections.maxConnections)
    return Application(
        router: router,
        server: HTTPServerBuilder { responder in
            // A connection must send a well-formed first request head within the idle timeout,
            // and a WebSocket message must arrive whole within its own timeout; a request that
            // expects `100 Continue` gets it at once.
            GuardedChildChannel(
                base: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder,
                    configuration: .init(
                        http1: .init(
                            additionalChannelHandlers: [ContinueAnswerHandler()],
                            idleTimeout: .init(configuration.connections.idleTimeout)),
                        // Browsers send a message as one frame, so a frame may be as large as a message.
                        ws: .init(maxFrameSize: configuration.limits.maxBodyBytes))),
                firstHeadDeadline: .init(configuration.connections.idleTimeout), connections: connections,
                webSocketMessageDeadline: .init(configuration.connections.webSocketMessageTimeout))
        },
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port),
            // Past `maxConnections` a connection is answered 503 (`FirstRequestGuardHandler`); past
            // twice that, new ones wait in the listen backlog, so file descriptors stay bounded.
            availableConnectionsDelegate: .maximum(2 * configuration.connections.maxConnections, logger: logger)),
        services: [TrainingShutdown(training: training)],
        logger: logger
    )
}

/// Builds the router on its own, for `buildApplication` and for tests.
func buildRouter(
    configuration: ServerConfiguration, inference: InferenceService, training: TrainingService? = nil, logger: Logger
) async throws -> Router<AppRequestContext> {
    let renderer = try await PageRenderer(directory: configuration.templatesDirectory)

    let router = Router(context: AppRequestContext.self)
    // Outermost first: headers go on everything, including errors and refused paths.
    router.add(middleware: SecurityHeadersMiddleware())
    // Before the request log, which therefore never sees a token in an address.
    if let token = configuration.accessToken { router.add(middleware: AccessTokenMiddleware(token: token)) }
    // Before everything that acts: pages on other sites and rebound host names get nothing.
    router.add(middleware: CrossSiteGuardMiddleware(boundary: configuration.siteBoundary))
    // Before any body is read: the bodies held for all clients together stay within a budget.
    router.add(
        middleware: BodyBudgetMiddleware(
            budget: BodyBudget(capacity: configuration.connections.maxBufferedBodyBytes), maxBodyBytes: configuration.limits.maxBodyBytes))
    // Each request at debug level: run with LOG_LEVEL=debug to see them.
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: PathTraversalGuardMiddleware())
    // Only files under Public/ are served; `no-cache` makes browsers revalidate (by ETag) so an
    // edited script shows up on reload.
    router.add(
        middleware: FileMiddleware(
            configuration.publicDirectory,
            cacheControl: .init([(MediaType(type: .any), [.noCache])]),
            searchForIndexHtml: false,
            logger: logger
        )
    )

    router.addRoutes(PageController(renderer: renderer).endpoints)
    router.addRoutes(HealthController().endpoints)
    router.addRoutes(VersionController().endpoints, atPath: "/api")
    router.addRoutes(ColorizeController(inference: inference).endpoints, atPath: "/api")
    router.addRoutes(LineArtController(inference: inference).endpoints, atPath: "/api")
    router.addRoutes(ArtistToolsController(inference: inference).endpoints, atPath: "/api")
    let training = training ?? TrainingService(configuration: configuration, inference: inference)
    router.addRoutes(TrainingController(training: training).endpoints, atPath: "/api")
    router.addRoutes(
        DatasetUploadController(upload: DatasetUpload(datasets: training.datasets, imageLimits: configuration.limits, limits: .init()))
            .endpoints, atPath: "/api")
    return router
}
