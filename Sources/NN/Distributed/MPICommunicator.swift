import CMPI
import Foundation

/// Why MPI could not be used.
public enum MPIError: Error, CustomStringConvertible {
    /// Started by mpirun, but Open MPI's library would not load.
    case libraryUnavailable(library: String, reason: String)
    /// An MPI call answered an error code.
    case callFailed(call: String, code: Int32)

    public var description: String {
        switch self {
        case .libraryUnavailable(let library, let reason):
            "this process was started by mpirun, but \(library) could not be loaded (\(reason)); install Open MPI (Debian: openmpi-bin) on every host, or set TINCT_MPI_LIBRARY to its libmpi"
        case .callFailed(let call, let code): "\(call) failed with MPI error \(code)"
        }
    }
}

/// MPI_COMM_WORLD of a job started by Open MPI's `mpirun`, reached through the CMPI shim,
/// which loads libmpi at run time: a process that mpirun did not start never touches MPI.
///
/// MPI's default error handler ends the whole job on a communication failure (a rank that
/// died, a lost host), so the collectives here either succeed or never return; a call that
/// does answer an error code ends the job too, with its name.
public final class MPICommunicator: Collective, @unchecked Sendable {
    public let rank: Int
    public let size: Int

    /// The communicator of this job, or nil when the process was not started by Open MPI's
    /// mpirun (it sets OMPI_COMM_WORLD_SIZE). Initializes MPI on the first call; call it from
    /// the thread that will make every MPI call.
    public static func fromLauncher(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> MPICommunicator? {
        guard environment["OMPI_COMM_WORLD_SIZE"] != nil else { return nil }
        if let shared { return shared }
        let library = environment["TINCT_MPI_LIBRARY"] ?? "libmpi.so.40"
        var message = [CChar](repeating: 0, count: 512)
        guard tinct_mpi_load(library, &message, message.count) == 0 else {
            throw MPIError.libraryUnavailable(library: library, reason: String(cString: message))
        }
        try check(tinct_mpi_init(), "MPI_Init")
        var rank: Int32 = 0
        var size: Int32 = 0
        try check(tinct_mpi_rank(&rank), "MPI_Comm_rank")
        try check(tinct_mpi_size(&size), "MPI_Comm_size")
        let communicator = MPICommunicator(rank: Int(rank), size: Int(size))
        shared = communicator
        return communicator
    }

    /// MPI may be initialized once per process.
    nonisolated(unsafe) private static var shared: MPICommunicator?

    private init(rank: Int, size: Int) {
        (self.rank, self.size) = (rank, size)
    }

    private static func check(_ code: Int32, _ call: String) throws {
        guard code == 0 else { throw MPIError.callFailed(call: call, code: code) }
    }

    /// Ends the job: every rank stops, mpirun exits non-zero.
    public func abort(_ call: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("error: rank \(rank): \(MPIError.callFailed(call: call, code: code)); ending the job\n".utf8))
        _ = tinct_mpi_abort(1)
        exit(1)
    }

    public func sum(_ values: UnsafeMutablePointer<Float>, count: Int) {
        forEachPart(count) { offset, part in
            let code = tinct_mpi_allreduce_float_sum(values + offset, Int32(part))
            if code != 0 { abort("MPI_Allreduce", code: code) }
        }
    }

    public func sum(_ values: UnsafeMutablePointer<Double>, count: Int) {
        forEachPart(count) { offset, part in
            let code = tinct_mpi_allreduce_double_sum(values + offset, Int32(part))
            if code != 0 { abort("MPI_Allreduce", code: code) }
        }
    }

    /// Every rank waits until all have arrived.
    public func barrier() {
        let code = tinct_mpi_barrier()
        if code != 0 { abort("MPI_Barrier", code: code) }
    }

    /// Leaves MPI; the last call of a rank that ends normally.
    public func finalize() {
        _ = tinct_mpi_finalize()
    }

    /// MPI counts are 32-bit: longer buffers go in parts.
    private func forEachPart(_ count: Int, _ body: (Int, Int) -> Void) {
        var offset = 0
        repeat {
            let part = min(count - offset, Int(Int32.max))
            body(offset, part)
            offset += part
        } while offset < count
    }
}
