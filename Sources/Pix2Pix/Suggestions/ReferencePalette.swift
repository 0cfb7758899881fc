import ImageCodecs
import Tensors

/// One colour of a reference picture's palette.
public struct PaletteColor: Sendable, Equatable {
    public let red: UInt8, green: UInt8, blue: UInt8
    /// The part of the picture (0…1) closest to this colour.
    public let share: Float

    public init(red: UInt8, green: UInt8, blue: UInt8, share: Float) {
        (self.red, self.green, self.blue, self.share) = (red, green, blue, share)
    }

    /// `#rrggbb`.
    public var hex: String { ColorHint(x: 0, y: 0, red: red, green: green, blue: blue, radius: 0).hex }
}

/// The dominant colours of a reference picture: k-means in CIE Lab (where Euclidean distance
/// follows perceived difference, so the clusters are colours a person tells apart), started
/// with k-means++ from a fixed seed — the same picture always gives the same palette — and
/// ranked by the share of the picture each colour covers.
///
/// At most `maximumSamples` pixels are clustered, taken on a regular grid (never blended, so
/// no colour appears that the picture does not have).
public enum ReferencePalette {
    /// Colours asked by default.
    public static let defaultCount = 6
    /// Most colours one palette may have.
    public static let maximumCount = 16
    /// Pixels clustered at most.
    public static let maximumSamples = 16_384
    /// Lloyd iterations at most (they usually settle in far fewer).
    static let maximumIterations = 40

    /// The palette of `image`: at most `count` colours (fewer when the picture has fewer
    /// distinct colours), largest share first.
    public static func colors(of image: RGBImage, count: Int = defaultCount, seed: UInt64 = 0) -> [PaletteColor] {
        precondition((1...maximumCount).contains(count), "a palette has 1 to \(maximumCount) colours")
        let samples = sample(image)
        guard !samples.isEmpty else { return [] }
        var generator = SeededGenerator(seed: seed)
        var centres = initialCentres(samples, count: count, generator: &generator)
        var assignment = [Int](repeating: -1, count: samples.count)
        for _ in 0..<maximumIterations {
            var changed = false
            for (i, sample) in samples.enumerated() {
                let nearest = nearestCentre(sample, centres)
                if nearest != assignment[i] { (assignment[i], changed) = (nearest, true) }
            }
            guard changed else { break }
            var sums = [(l: Float, a: Float, b: Float, n: Int)](repeating: (0, 0, 0, 0), count: centres.count)
            for (i, sample) in samples.enumerated() {
                let k = assignment[i]
                sums[k] = (sums[k].l + sample.l, sums[k].a + sample.a, sums[k].b + sample.b, sums[k].n + 1)
            }
            for k in centres.indices where sums[k].n > 0 {
                let n = Float(sums[k].n)
                centres[k] = LabColor(l: sums[k].l / n, a: sums[k].a / n, b: sums[k].b / n)
            }
        }
        var counts = [Int](repeating: 0, count: centres.count)
        for k in assignment { counts[k] += 1 }
        return centres.indices.filter { counts[$0] > 0 }
            .sorted { (counts[$0], -$0) > (counts[$1], -$1) }
            .map { k in
                let rgb = LabColor.labToRGB(centres[k])
                return PaletteColor(
                    red: ColorSuggestions.byte(rgb.red), green: ColorSuggestions.byte(rgb.green),
                    blue: ColorSuggestions.byte(rgb.blue), share: Float(counts[k]) / Float(samples.count))
            }
    }

    /// The picture's pixels on a grid of at most `maximumSamples` points, in Lab.
    static func sample(_ image: RGBImage) -> [LabColor] {
        let pixels = image.width * image.height
        guard pixels > 0 else { return [] }
        let step = max(1, Int((Double(pixels) / Double(maximumSamples)).squareRoot().rounded(.up)))
        var samples: [LabColor] = []
        for y in stride(from: step / 2, to: image.height, by: step) {
            for x in stride(from: step / 2, to: image.width, by: step) {
                let p = image[x, y]
                samples.append(LabColor.rgbToLab(Float(p.red) / 255, Float(p.green) / 255, Float(p.blue) / 255))
            }
        }
        return samples
    }

    /// k-means++: the first centre a random sample, each next one a sample drawn with
    /// probability proportional to its squared distance from the nearest centre so far;
    /// stops early when every sample already is a centre's colour.
    static func initialCentres(_ samples: [LabColor], count: Int, generator: inout SeededGenerator) -> [LabColor] {
        var centres = [samples[Int(generator.next() % UInt64(samples.count))]]
        var nearest = samples.map { squaredDistance($0, centres[0]) }
        while centres.count < count {
            let total = nearest.reduce(0, +)
            guard total > 0 else { break }
            var target = Float(generator.nextUniform()) * total
            var pick = samples.count - 1
            for (i, d) in nearest.enumerated() {
                target -= d
                if target < 0, d > 0 {
                    pick = i
                    break
                }
            }
            while nearest[pick] == 0 { pick -= 1 }  // rounding at the end: the last sample that is not a centre
            centres.append(samples[pick])
            for i in samples.indices { nearest[i] = min(nearest[i], squaredDistance(samples[i], samples[pick])) }
        }
        return centres
    }

    static func nearestCentre(_ colour: LabColor, _ centres: [LabColor]) -> Int {
        var best = (index: 0, distance: Float.infinity)
        for (k, centre) in centres.enumerated() {
            let d = squaredDistance(colour, centre)
            if d < best.distance { best = (k, d) }
        }
        return best.index
    }

    @inline(__always) static func squaredDistance(_ x: LabColor, _ y: LabColor) -> Float {
        let (dl, da, db) = (x.l - y.l, x.a - y.a, x.b - y.b)
        return dl * dl + da * da + db * db
    }
}
