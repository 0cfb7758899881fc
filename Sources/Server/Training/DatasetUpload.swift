import Foundation
import ImageCodecs
import Pix2Pix

/// The body of `POST /api/datasets/{dataset}/pictures`: one picture of a dataset added from
/// the browser, `{"path": "train/cat.png", "image": "<base64 PNG or JPEG>"}`.
struct DatasetPictureBody: Decodable {
    /// Where the picture goes inside the dataset: folders (e.g. `train/`, `val/`) and a file name.
    var path: String
    var image: String
}

/// The answer to an added picture: where it went and how many pictures the dataset now has.
struct DatasetPictureAdded: Codable, Sendable, Equatable {
    let dataset: String
    let path: String
    let width: Int
    let height: Int
    let pictures: Int
}

/// Where datasets added from the browser go and what they may hold.
struct DatasetUploadLimits: Sendable {
    /// Pictures one dataset may hold (beyond it, adding is refused with 413).
    var maxPictures = 50_000
    /// Free space the data root's disk must keep after a picture is written.
    var reservedDiskBytes: Int64 = 512 << 20
}

/// Adds pictures to a dataset folder under the data root, one request per picture, so a
/// browser can show progress and a bad file is reported without stopping the others. Every
/// picture is decoded completely before it is written (a damaged one is refused with the
/// decoder's reason), and written under a temporary name then renamed, so a dataset never
/// holds half a file.
struct DatasetUpload: Sendable {
    let datasets: DatasetFolders
    let imageLimits: ColorizeLimits
    let limits: DatasetUploadLimits

    /// Largest picture file one request can carry: the JSON body limit less base64's third and
    /// room for the path.
    var maxPictureBytes: Int { max(0, imageLimits.maxBodyBytes - 4096) / 4 * 3 }

    /// Dataset names a person may create: like model and run names.
    static func isValidName(_ name: String) -> Bool {
        name.range(of: "^[A-Za-z0-9_-]{1,64}$", options: .regularExpression) != nil
    }

    /// `path` checked and cleaned: 1–4 `/`-separated parts of letters, digits, space, `_ - .`,
    /// none starting with a dot, ending in .png, .jpg or .jpeg.
    static func cleanPath(_ path: String) throws(APIError) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard (1...4).contains(parts.count), path.utf8.count <= 240 else { throw .badField("path", "must be 1 to 4 folder or file names") }
        for part in parts {
            guard part.range(of: "^[A-Za-z0-9 _().,+-][A-Za-z0-9 _().,+-]{0,119}$", options: .regularExpression) != nil, !part.hasPrefix(".") else {
                throw .badField("path", "\"\(part.prefix(40))\" may use only letters, digits, spaces and _ - . ( ) , +, and may not start with a dot")
            }
        }
        guard ["png", "jpg", "jpeg"].contains((parts.last! as NSString).pathExtension.lowercased()) else {
            throw .badField("path", "must end in .png, .jpg or .jpeg")
        }
        return parts.joined(separator: "/")
    }

    /// Checks, decodes and writes one picture; returns what was added.
    /// - Throws: 400 (bad name, path or picture), 409 (the path exists), 413 (too large, or the
    ///   dataset or disk is full), 415 (not a PNG or JPEG).
    func add(dataset: String, body: DatasetPictureBody) async throws -> DatasetPictureAdded {
        guard Self.isValidName(dataset) else { throw APIError.badField("dataset", "must be 1–64 of A–Z a–z 0–9 _ -") }
        let path = try Self.cleanPath(body.path)
        let (bytes, info) = try ColorizeJob.inspectImage(base64: body.image, limits: imageLimits)
        let maxPixels = imageLimits.maxPixels
        do {
            _ = try await OffPoolThread.run(named: "tinct-dataset-check") { try ImageDecoder.decode(bytes, maxPixels: maxPixels) }
        } catch let error as ImageCodecError {
            throw ColorizeJob.imageError(error)
        }
        let (root, folder) = try datasetFolder(dataset)
        let pictures = ImageFolder.listPictures(under: folder).count
        guard pictures < limits.maxPictures else {
            throw APIError(.contentTooLarge, "dataset: \"\(dataset)\" already holds \(pictures) pictures, the most one dataset may hold")
        }
        if let free = try? FileManager.default.attributesOfFileSystem(forPath: root)[.systemFreeSize] as? Int64,
            free - Int64(bytes.count) < limits.reservedDiskBytes
        {
            throw APIError(.contentTooLarge, "image: the disk of \(root) is nearly full")
        }
        let target = "\(folder)/\(path)"
        guard !FileManager.default.fileExists(atPath: target) else { throw APIError(.conflict, "path: \(path) is already in \"\(dataset)\"") }
        let directory = (target as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // The folder must still be inside the data root once created (no symlinked part).
            guard let resolved = DatasetFolders.realPath(directory), resolved == folder || resolved.hasPrefix(folder + "/") else {
                throw APIError.badField("path", "leaves the dataset")
            }
            try Data(bytes).write(to: URL(fileURLWithPath: target), options: .atomic)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.internalServerError, "path: could not write \(path): \(error.localizedDescription)")
        }
        return DatasetPictureAdded(dataset: dataset, path: path, width: info.width, height: info.height, pictures: pictures + 1)
    }

    /// The data root (created when missing) and the dataset's folder in it (created too), both resolved.
    private func datasetFolder(_ dataset: String) throws(APIError) -> (root: String, folder: String) {
        do {
            try FileManager.default.createDirectory(atPath: datasets.root, withIntermediateDirectories: true)
        } catch {
            throw APIError(.internalServerError, "dataset: the data root \(datasets.root) cannot be created: \(error.localizedDescription)")
        }
        guard let root = datasets.resolvedRoot else { throw APIError(.internalServerError, "dataset: no data root at \(datasets.root)") }
        let folder = "\(root)/\(dataset)"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw APIError(.internalServerError, "dataset: \(folder) cannot be created: \(error.localizedDescription)")
        }
        guard let resolved = DatasetFolders.realPath(folder), resolved == folder else { throw .badField("dataset", "leaves the data root") }
        return (root, folder)
    }
}
