import Foundation
import ImageCodecs
import Pix2Pix
import Testing

/// A dataset folder must not become a way to read the machine's other files.
@Suite("Image folders")
struct ImageFolderTests {
    @Test("Links that leave the folder are skipped and reported; nothing of a non-picture is quoted")
    func linksOutside() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("tinct-folder-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let files = FileManager.default
        for folder in ["data/sub", "outside"] { try files.createDirectory(atPath: "\(base)/\(folder)", withIntermediateDirectories: true) }
        let picture = Data(try PNGEncoder.encode(RGBImage(width: 8, height: 8)))
        try picture.write(to: URL(fileURLWithPath: "\(base)/data/sub/inside.png"))
        try picture.write(to: URL(fileURLWithPath: "\(base)/outside/secret.png"))
        try Data("root:x:0:0:secret".utf8).write(to: URL(fileURLWithPath: "\(base)/outside/passwd"))
        try Data("SECRETSS not a picture".utf8).write(to: URL(fileURLWithPath: "\(base)/data/notes.png"))
        try files.createSymbolicLink(atPath: "\(base)/data/stolen.png", withDestinationPath: "\(base)/outside/secret.png")
        try files.createSymbolicLink(atPath: "\(base)/data/passwd.png", withDestinationPath: "\(base)/outside/passwd")
        try files.createSymbolicLink(atPath: "\(base)/data/alias.png", withDestinationPath: "sub/inside.png")

        #expect(ImageFolder.listPictures(under: "\(base)/data") == ["alias.png", "notes.png", "sub/inside.png"])
        let folder = ImageFolder(root: "\(base)/data", maxSide: 64)
        #expect(folder.names == ["alias.png", "sub/inside.png"])
        #expect(folder.skipped.map(\.path) == ["passwd.png", "stolen.png", "notes.png"])
        for skipped in folder.skipped {
            #expect(
                !skipped.reason.contains("root") && !skipped.reason.contains("SECRET") && !skipped.reason.contains("53 45"),
                "\(skipped.reason)")
        }
        #expect(folder.skipped.first?.reason.contains("outside the dataset folder") == true)
    }

    @Test("a limited number of pictures is spread evenly over the sorted names, every source represented")
    func spreadSelection() {
        let names = (0..<10).map { "p\($0)" }
        #expect(ImageFolder.spread(names, count: 3) == ["p0", "p3", "p6"])
        #expect(ImageFolder.spread(names, count: 10) == names && ImageFolder.spread(names, count: 50) == names)
        #expect(ImageFolder.spread(names, count: 0).isEmpty)
        let sources = ["a", "b", "c", "d"].flatMap { source in (0..<25).map { "\(source)__\($0)" } }
        #expect(Set(ImageFolder.spread(sources, count: 8).map { $0.prefix(1) }) == ["a", "b", "c", "d"])
    }
}
