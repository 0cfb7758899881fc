import ArgumentParser
import Foundation
import Server

/// `tinct serve`: runs the web studio until interrupted.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Tinct web studio."
    )

    @Option(help: "Interface to listen on. Any address other than loopback needs --token.")
    var host = "127.0.0.1"

    @Option(
        help: ArgumentHelp(
            "Access token every request but /healthz must carry (default: $TINCT_TOKEN).",
            discussion: "16–256 of A–Z a–z 0–9 - _ . ~, e.g. from `openssl rand -hex 24`. Browsers open /?token=<token> once.",
            valueName: "secret"))
    var token: String?

    @Option(
        name: .customLong("allowed-host"),
        help: ArgumentHelp(
            "Another name the server is reached by (repeatable).",
            discussion:
                "Requests whose Host is not the listening address (or localhost on loopback) or one of these are refused, so a web page cannot reach the studio through a name its DNS points here.",
            valueName: "name"))
    var allowedHosts: [String] = []

    @Option(
        name: .customLong("training-memory"),
        help: ArgumentHelp("Most memory one training run may need, in MiB (default: half of this machine's).", valueName: "MiB"))
    var trainingMemory: Int?

    @Option(help: "TCP port to listen on.")
    var port = 8080

    @Option(help: "Folder of models (default: the models folder beside the working directory or the tinct executable, as for Public/ and templates/).")
    var models: String?

    @Option(name: .customLong("data-root"), help: "Folder whose subfolders of pictures the dashboard offers as datasets.")
    var dataRoot = "data"

    @Option(help: "Folder where training runs started from the dashboard are written.")
    var runs = "runs"

    @Option(name: .customLong("public"), help: "Folder of static browser files (default: the checkout's Public/).")
    var publicDirectory: String?

    @Option(name: .customLong("templates"), help: "Folder of Mustache page templates (default: the checkout's templates/).")
    var templatesDirectory: String?

    func validate() throws {
        guard (0...65_535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535.")
        }
        if let trainingMemory, !(64...(1 << 30)).contains(trainingMemory) {
            throw ValidationError("--training-memory must be between 64 and 1073741824 MiB.")
        }
    }

    func run() async throws {
        // A ResourceLocatorError's description lists every folder searched; ArgumentParser prints it.
        var configuration = try ServerConfiguration.locatingResources(
            host: host,
            port: port,
            publicDirectory: publicDirectory,
            templatesDirectory: templatesDirectory,
            modelsDirectory: ModelLocator.modelsDirectory(models),
            dataRoot: dataRoot,
            runsDirectory: runs
        )
        configuration.accessToken = try accessToken()
        configuration.allowedHosts = allowedHosts
        if let trainingMemory { configuration.trainingMemoryBudget = trainingMemory << 20 }
        // Each dashboard run trains in a process of its own, started from this executable.
        configuration.trainingWorker = ServerConfiguration.currentExecutable
        let app = try await buildApplication(configuration: configuration)
        try await app.runService()
    }

    /// `--token`, else `TINCT_TOKEN`; an empty value counts as none. A flag on the command
    /// line is visible to other local users in `ps`, so the environment is the safer way.
    func accessToken() throws -> AccessToken? {
        let text = token ?? ProcessInfo.processInfo.environment["TINCT_TOKEN"]
        guard let text, !text.isEmpty else { return nil }
        return try AccessToken(text)
    }
}
