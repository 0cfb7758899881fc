import Hummingbird

/// `GET /healthz` (and `HEAD`, as monitors send it): answers as long as the server can handle requests.
struct HealthController: Sendable {
    /// The health check body, `{"status":"ok"}`.
    struct Health: ResponseEncodable, Equatable {
        let status: String
    }

    /// The `/healthz` route.
    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("/healthz") { _, _ in Health(status: "ok") }
        routes.head("/healthz") { _, _ in HTTPResponse.Status.ok }
        return routes
    }
}
