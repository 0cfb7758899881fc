import Hummingbird

/// `GET /api/version`: the product name and version, for the browser and for scripts.
struct VersionController: Sendable {
    /// The version body, `{"name":"tinct","version":"…"}`.
    struct Version: ResponseEncodable, Equatable {
        let name: String
        let version: String
    }

    /// The `/version` route, mounted under `/api`.
    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("/version") { _, _ in Version(name: TinctVersion.name, version: TinctVersion.version) }
        return routes
    }
}
