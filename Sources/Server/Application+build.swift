import Hummingbird
import Logging

/// Assembles the Tinct web application: middleware, static files, pages and API routes.
///
/// Reads templates at startup, so a broken or missing template fails here rather than on the
/// first request. Listens on `configuration.host`/`port` once `runService()` is called.
public func buildApplication(configuration: ServerConfiguration) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "tinct.server")
    logger.logLevel = Environment().get("LOG_LEVEL").flatMap { Logger.Level(rawValue: $0) } ?? .info

    let router = try await buildRouter(configuration: configuration, logger: logger)
    logger.info(
        "Tinct \(TinctVersion.version) configured",
        metadata: [
            "public": "\(configuration.publicDirectory)",
            "templates": "\(configuration.templatesDirectory)",
            "models": "\(configuration.modelsDirectory)",
            "dataRoot": "\(configuration.dataRoot)",
        ]
    )
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
        logger: logger
    )
}

/// Builds the router on its own, for `buildApplication` and for tests.
func buildRouter(configuration: ServerConfiguration, logger: Logger) async throws -> Router<AppRequestContext> {
    let renderer = try await PageRenderer(directory: configuration.templatesDirectory)

    let router = Router(context: AppRequestContext.self)
    // Outermost first: headers go on everything, including errors and refused paths.
    router.add(middleware: SecurityHeadersMiddleware())
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
    return router
}
