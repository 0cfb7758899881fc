import Foundation
import Pix2Pix

/// Everything `buildApplication(configuration:)` needs to know about where it listens and which
/// folders it reads. Paths are plain strings because Hummingbird's file APIs take strings.
public struct ServerConfiguration: Sendable, Equatable {
    /// Interface to bind. The default keeps the studio private to this machine.
    public var host: String
    /// TCP port to bind; `0` asks the OS for a free one (tests use this).
    public var port: Int
    /// Folder of static browser files (`Public/`). Nothing outside it is ever served.
    public var publicDirectory: String
    /// Folder of Mustache pages (`templates/`).
    public var templatesDirectory: String
    /// Folder holding model checkpoints.
    public var modelsDirectory: String
    /// Root folder of the datasets the dashboard may train on; nothing outside it is read.
    public var dataRoot: String
    /// Folder where the dashboard's training runs are written (one subfolder per run).
    public var runsDirectory: String
    /// Limits on colorization requests (body size, pixels, hints, queue length).
    public var limits: ColorizeLimits
    /// The secret every request but `/healthz` must carry; nil leaves the server open, which
    /// is allowed only on a loopback `host` (see `NetworkExposure`).
    public var accessToken: AccessToken?
    /// Further names the server may be reached by besides its listening address (and, on
    /// loopback, `localhost`): requests with any other `Host` are refused (`SiteBoundary`).
    public var allowedHosts: [String]
    /// Most memory one training run may need (`TrainingMemory`); larger runs are refused
    /// before they start. Default: half of the machine's memory.
    public var trainingMemoryBudget: Int
    /// The `tinct` executable each dashboard training run is started from, as
    /// `tinct train-worker`, in a process of its own (`TrainingProcess`); nil: runs are
    /// refused. `tinct serve` gives its own executable (`currentExecutable`).
    public var trainingWorker: URL?
    /// The memory cap of every training run's process, in bytes; nil: each run's own, from its
    /// estimate (`TrainingProcessMemoryCap`).
    public var trainingProcessMemoryCap: Int?
    /// Bounds on connections and on the request bodies held for them.
    public var connections: ConnectionLimits
    /// How long a WebSocket message may wait for a client that reads nothing before the
    /// connection is closed.
    public var webSocketSendTimeout: Duration

    /// The names and origins this server counts as its own.
    var siteBoundary: SiteBoundary { SiteBoundary(listeningHost: host, extraNames: allowedHosts) }

    /// Creates a configuration from explicit paths; see `locatingResources(...)` to find
    /// `Public/` and `templates/` automatically.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        publicDirectory: String,
        templatesDirectory: String,
        modelsDirectory: String = "models",
        dataRoot: String = "data",
        runsDirectory: String = "runs",
        limits: ColorizeLimits = .init(),
        accessToken: AccessToken? = nil,
        allowedHosts: [String] = [],
        trainingMemoryBudget: Int = TrainingMemory.defaultBudgetBytes,
        trainingWorker: URL? = nil,
        trainingProcessMemoryCap: Int? = nil,
        connections: ConnectionLimits = .init(),
        webSocketSendTimeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.publicDirectory = publicDirectory
        self.templatesDirectory = templatesDirectory
        self.modelsDirectory = modelsDirectory
        self.dataRoot = dataRoot
        self.runsDirectory = runsDirectory
        self.limits = limits
        self.accessToken = accessToken
        self.allowedHosts = allowedHosts
        self.trainingMemoryBudget = trainingMemoryBudget
        self.trainingWorker = trainingWorker
        self.trainingProcessMemoryCap = trainingProcessMemoryCap
        self.connections = connections
        self.webSocketSendTimeout = webSocketSendTimeout
    }
}

/// What the server holds for its clients' connections.
public struct ConnectionLimits: Sendable, Equatable {
    /// Open connections at most; further ones wait in the listen backlog until one closes, so
    /// a flood of connections cannot use up the process's file descriptors.
    public var maxConnections: Int
    /// An HTTP connection that sends nothing for this long — a half-sent request line,
    /// headers or body, or an idle keep-alive — is closed, and what it held is freed.
    public var idleTimeout: Duration
    /// Request bodies held for all clients together (`BodyBudget`); beyond it, 503.
    public var maxBufferedBodyBytes: Int
    /// Open WebSockets at most (each may hold one message of up to the body limit as it
    /// arrives); further upgrades get 503 (`SocketAdmission`).
    public var maxWebSockets: Int
    /// How long a WebSocket message may take from its first byte to its last; a socket whose
    /// message is still unfinished then is closed (`WebSocketMessageDeadlineHandler`).
    public var webSocketMessageTimeout: Duration

    public init(
        maxConnections: Int = 512, idleTimeout: Duration = .seconds(30), maxBufferedBodyBytes: Int = 256 << 20,
        maxWebSockets: Int = 32, webSocketMessageTimeout: Duration = .seconds(60)
    ) {
        (self.maxConnections, self.idleTimeout, self.maxBufferedBodyBytes) = (maxConnections, idleTimeout, maxBufferedBodyBytes)
        (self.maxWebSockets, self.webSocketMessageTimeout) = (maxWebSockets, webSocketMessageTimeout)
    }
}
