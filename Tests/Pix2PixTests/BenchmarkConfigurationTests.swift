import Foundation
import TestSupport
import Testing

@testable import Pix2Pix

/// `tinct bench` times what Tinct really trains: the shipped models' shapes, the planes each
/// mode really feeds its networks, and the same table as the PyTorch reference it is compared with.
@Suite("Benchmark configurations")
struct BenchmarkConfigurationTests {
    static func configuration(_ name: String) throws -> BenchmarkConfiguration {
        try #require(BenchmarkConfiguration.all.first { $0.name == name })
    }

    @Test(
        "lineart-128 and photo-128 have the generators of the shipped models",
        arguments: [
            ("lineart-128", "models/default-lineart"), ("photo-128", "models/default-photo")
        ])
    func shippedModelShapes(name: String, folder: String) throws {
        let bench = try Self.configuration(name)
        let shipped = try GeneratorModel.load(path: FixturePaths.path(folder))
        #expect(bench.modelConfig.generator.inputChannels == shipped.config.inputChannels)
        #expect(bench.modelConfig.generator.outputChannels == shipped.config.outputChannels)
        #expect(bench.modelConfig.generator.ngf == shipped.config.ngf)
        #expect(bench.modelConfig.generator.downsamplings == shipped.config.downsamplings)
        #expect(bench.modelConfig.generator.dropout == shipped.config.dropout)
        #expect(bench.size == shipped.resolution)
    }

    @Test("a configuration named after a mode has that mode's planes")
    func modePlanes() {
        for bench in BenchmarkConfiguration.all {
            for mode in [ModelMode.lineart, .photo] where bench.name.hasPrefix("\(mode.rawValue)-") {
                #expect(bench.inputChannels == ColorizationEncoding.inputChannels(mode), "\(bench.name)")
                #expect(bench.outputChannels == ColorizationEncoding.outputChannels(mode), "\(bench.name)")
            }
        }
    }

    /// Rows of scripts/bench/torch_pix2pix.py's CONFIGS:
    /// `("name", size, ngf, ndf, downs, batch, in_nc, out_nc),`.
    static func torchConfigurations() throws -> [[String]] {
        let script = try String(contentsOfFile: FixturePaths.path("scripts/bench/torch_pix2pix.py"), encoding: .utf8)
        let table = try #require(script.components(separatedBy: "CONFIGS = [").dropFirst().first?.components(separatedBy: "]").first)
        return table.split(separator: "\n").compactMap { line in
            let row = line.split(separator: "#").first.map(String.init) ?? ""
            guard let open = row.firstIndex(of: "("), let close = row.firstIndex(of: ")") else { return nil }
            return row[row.index(after: open)..<close].split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
    }

    @Test("the PyTorch reference's copy times the same configurations")
    func torchTableMatches() throws {
        let expected = BenchmarkConfiguration.all.map { c in
            [c.name] + [c.size, c.ngf, c.ndf, c.downsamplings, c.batch, c.inputChannels, c.outputChannels].map(String.init)
        }
        #expect(try Self.torchConfigurations() == expected)
    }
}
