import Hummingbird

/// Serves the HTML pages: the editor at `/` and the training page at `/train`.
struct PageController: Sendable {
    /// Renders the templates; injected so tests can use their own.
    let renderer: PageRenderer

    /// What a page template sees: its title, heading, lead text and the site navigation.
    struct PageContext: Sendable {
        let title: String
        let heading: String
        let lead: String
        let links: [Link]
    }

    /// One navigation link.
    struct Link: Sendable {
        let href: String
        let label: String
    }

    /// The site navigation shown on every page.
    static let navigation = [
        Link(href: "/", label: "Editor"),
        Link(href: "/train", label: "Train")
    ]

    /// `GET /` and `GET /train`.
    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("/", use: self.editor)
        routes.get("/train", use: self.train)
        return routes
    }

    /// The editor page: drawing, hints and live colorization (`/js/app.js` and its modules).
    @Sendable func editor(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        try renderer.render(
            .editor,
            PageContext(
                title: "Tinct",
                heading: "Colorize",
                lead: "Draw or open line art or a black-and-white photo, drop a few color hints, and watch it color itself — on this machine.",
                links: Self.navigation
            )
        )
    }

    /// The training dashboard (`/js/train.js` and its modules, live over `/ws/train`).
    @Sendable func train(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        try renderer.render(
            .train,
            PageContext(
                title: "Train · Tinct",
                heading: "Train a model",
                lead: "Train a colorization model on a folder of pictures and watch it learn: losses, samples and validation against the baselines.",
                links: Self.navigation
            )
        )
    }
}
