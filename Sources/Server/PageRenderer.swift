import Foundation
import Hummingbird
import Mustache

/// Renders the Mustache pages in `templates/`, loaded once at startup.
struct PageRenderer: Sendable {
    /// The pages the server renders; each must exist as `<name>.mustache`.
    enum Page: String, CaseIterable, Sendable {
        case editor = "index"
        case train
    }

    let library: MustacheLibrary

    /// Loads every template in `directory` and checks that each `Page` is present.
    init(directory: String) async throws {
        // The library's directory walk does not descend into a symlinked root, so resolve it first.
        let resolved = URL(fileURLWithPath: directory, isDirectory: true).resolvingSymlinksInPath().path
        let library = try await MustacheLibrary(directory: resolved)
        for page in Page.allCases where library.getTemplate(named: page.rawValue) == nil {
            throw ServerError.missingTemplate(name: "\(page.rawValue).mustache", directory: directory)
        }
        self.library = library
    }

    /// Renders `page` with `context` (a struct whose properties the template names).
    func render(_ page: Page, _ context: some Sendable) throws -> HTMLPage {
        guard let html = library.render(context, withTemplate: page.rawValue) else {
            throw HTTPError(.internalServerError, message: "Template \(page.rawValue) is missing.")
        }
        return HTMLPage(html: html)
    }
}
