import Foundation
import Testing

@testable import Server

@Suite("Finding Public/ and templates/")
struct ResourceLocatorTests {
    /// A throwaway checkout: `root/{Public,templates}` and `root/.build/release/`.
    struct Checkout {
        let root: URL
        var executableDirectory: URL { root.appendingPathComponent(".build/release") }

        init() throws {
            root = FileManager.default.temporaryDirectory
                .appendingPathComponent("tinct-locator-\(UUID().uuidString)")
                .resolvingSymlinksInPath()
            for folder in ["Public", "templates", ".build/release", "elsewhere"] {
                try FileManager.default.createDirectory(
                    at: root.appendingPathComponent(folder),
                    withIntermediateDirectories: true
                )
            }
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    @Test("Found from the repository root")
    func fromCurrentDirectory() throws {
        let checkout = try Checkout()
        defer { checkout.remove() }
        let locator = ResourceLocator(currentDirectory: checkout.root.path, executableDirectory: nil)
        let configuration = try ServerConfiguration.locatingResources(locator: locator)
        #expect(configuration.publicDirectory == checkout.root.appendingPathComponent("Public").path)
        #expect(configuration.templatesDirectory == checkout.root.appendingPathComponent("templates").path)
    }

    @Test("Found from the executable when started elsewhere")
    func fromExecutable() throws {
        let checkout = try Checkout()
        defer { checkout.remove() }
        let locator = ResourceLocator(
            currentDirectory: "/",
            executableDirectory: checkout.executableDirectory.path
        )
        #expect(try locator.locateDirectory(named: "Public") == checkout.root.appendingPathComponent("Public").path)
    }

    @Test("Explicit folders win, and must exist")
    func overrides() throws {
        let checkout = try Checkout()
        defer { checkout.remove() }
        let locator = ResourceLocator(currentDirectory: checkout.root.path, executableDirectory: nil)
        let elsewhere = checkout.root.appendingPathComponent("elsewhere").path
        let configuration = try ServerConfiguration.locatingResources(publicDirectory: elsewhere, locator: locator)
        #expect(configuration.publicDirectory == elsewhere)

        let missing = checkout.root.appendingPathComponent("missing").path
        #expect(throws: ResourceLocatorError.overrideMissing(option: "--templates", path: missing)) {
            try ServerConfiguration.locatingResources(templatesDirectory: missing, locator: locator)
        }
    }

    @Test("Not found: the error lists where it looked")
    func notFound() throws {
        let checkout = try Checkout()
        defer { checkout.remove() }
        let start = checkout.root.appendingPathComponent("elsewhere")
        let locator = ResourceLocator(currentDirectory: start.path, executableDirectory: nil)
        do {
            _ = try locator.locateDirectory(named: "NoSuchFolder")
            Issue.record("expected an error")
        } catch let error as ResourceLocatorError {
            guard case .notFound(let name, let searched) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(name == "NoSuchFolder")
            #expect(searched.first == start.appendingPathComponent("NoSuchFolder").path)
            #expect(error.description.contains(start.path))
        }
    }
}
