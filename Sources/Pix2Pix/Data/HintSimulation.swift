import Foundation
import ImageCodecs
import Tensors

/// Simulated user hints: how a model learns to follow colour hints without anyone
/// clicking on thousands of training images.
///
/// For every training pair (ground-truth colour image at model resolution, optionally its
/// line art) a fresh set of hints is drawn from the ground truth:
///
/// 1. **How many.** None with probability `zeroHintProbability` (0.25), so the model also
///    learns to colorize on its own. Otherwise, with probability `denseProbability` (0.3),
///    a dense count, log-uniform over `denseCountRange` (16…160), as an artist who dots
///    every shape leaves; else a geometric count on 1, 2, 3, … with mean `meanCount` (8),
///    capped at `maximumCount` (40). Many small counts, and enough dense ones that more
///    hints never take the model somewhere it has not been.
/// 2. **Shape.** A point — one disc of radius 1–3 px — or, with probability
///    `strokeProbability` (0.3), a short stroke: 2–5 overlapping discs of one radius along a
///    random direction, spaced 0.6–1.0 radius apart (so at most ~12 px long), as a user's
///    quick drag would leave. A stroke stops early at the image border or at an ink line.
/// 3. **Where.** Uniform over the image, rejecting centres on an ink line (line art below
///    0.5) when line art is given: users click inside regions, not on outlines. For half
///    of the hints (`preferColorProbability`) near-white pixels (every channel ≥ 240) are
///    rejected too, because white backgrounds dominate pictures but rarely get hints.
///    After `maximumPlacementAttempts` tries the white preference is dropped, then the
///    ink rule, so a pathological image still gets its count.
/// 4. **Colour.** The mean ground truth in a 5×5 window around the centre (ink pixels left
///    out when line art is given), as a user picks the colour of a region rather than of
///    one noisy pixel; plus Gaussian noise with σ drawn per hint from 2/255–6/255, because
///    users' colours are never exact. Rounded to 8-bit like a colour picker's.
///
/// The hints are painted with `HintRasterizer`, the same code that paints user hints at
/// inference. Validation calls `simulateHints(count:…)` with fixed counts (0, 4, 16) and a
/// fixed seed so scores are comparable between runs.
public struct HintSimulation: Codable, Sendable, Equatable {
    /// Probability of a sample with no hints at all.
    public var zeroHintProbability: Float
    /// Mean of the geometric hint count (before the cap) when there are hints.
    public var meanCount: Float
    /// Largest number of hints of the geometric count.
    public var maximumCount: Int
    /// Probability of a dense count when there are hints.
    public var denseProbability: Float
    /// Range of the dense count (drawn log-uniformly).
    public var denseCountRange: ClosedRange<Int>
    /// Probability that a hint is a stroke rather than a point.
    public var strokeProbability: Float
    /// Disc radii, in model pixels.
    public var radiusRange: ClosedRange<Int>
    /// Number of discs in a stroke.
    public var strokeDiscRange: ClosedRange<Int>
    /// Half-size of the window whose mean gives a hint's colour (2 → 5×5).
    public var colorWindowRadius: Int
    /// Range of the per-hint colour noise σ, in [0, 1] colour units.
    public var noiseSigmaRange: ClosedRange<Float>
    /// Probability that a hint avoids near-white pixels.
    public var preferColorProbability: Float
    /// Random centres tried before a placement rule is relaxed.
    public var maximumPlacementAttempts: Int

    /// The recipe with the defaults documented on the type.
    public init(
        zeroHintProbability: Float = 0.25, meanCount: Float = 8, maximumCount: Int = 40,
        strokeProbability: Float = 0.3, radiusRange: ClosedRange<Int> = 1...3,
        strokeDiscRange: ClosedRange<Int> = 2...5, colorWindowRadius: Int = 2,
        noiseSigmaRange: ClosedRange<Float> = (2.0 / 255)...(6.0 / 255), preferColorProbability: Float = 0.5,
        maximumPlacementAttempts: Int = 64, denseProbability: Float = 0.3, denseCountRange: ClosedRange<Int> = 16...160
    ) {
        precondition((0...1).contains(zeroHintProbability) && meanCount >= 1 && maximumCount >= 1)
        precondition((0...1).contains(denseProbability) && denseCountRange.lowerBound >= 1)
        precondition(radiusRange.lowerBound >= 0 && strokeDiscRange.lowerBound >= 1 && colorWindowRadius >= 0)
        self.zeroHintProbability = zeroHintProbability
        self.meanCount = meanCount
        self.maximumCount = maximumCount
        self.strokeProbability = strokeProbability
        self.radiusRange = radiusRange
        self.strokeDiscRange = strokeDiscRange
        self.colorWindowRadius = colorWindowRadius
        self.noiseSigmaRange = noiseSigmaRange
        self.preferColorProbability = preferColorProbability
        self.maximumPlacementAttempts = maximumPlacementAttempts
        self.denseProbability = denseProbability
        self.denseCountRange = denseCountRange
    }

    private enum CodingKeys: String, CodingKey {
        case zeroHintProbability, meanCount, maximumCount, strokeProbability, radiusRange, strokeDiscRange
        case colorWindowRadius, noiseSigmaRange, preferColorProbability, maximumPlacementAttempts
        case denseProbability, denseCountRange
    }

    /// Decodes a stored recipe; one from before dense counts existed (a run started by an
    /// older Tinct) gets none, so resuming it keeps its own hint distribution.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        zeroHintProbability = try c.decode(Float.self, forKey: .zeroHintProbability)
        meanCount = try c.decode(Float.self, forKey: .meanCount)
        maximumCount = try c.decode(Int.self, forKey: .maximumCount)
        strokeProbability = try c.decode(Float.self, forKey: .strokeProbability)
        radiusRange = try c.decode(ClosedRange<Int>.self, forKey: .radiusRange)
        strokeDiscRange = try c.decode(ClosedRange<Int>.self, forKey: .strokeDiscRange)
        colorWindowRadius = try c.decode(Int.self, forKey: .colorWindowRadius)
        noiseSigmaRange = try c.decode(ClosedRange<Float>.self, forKey: .noiseSigmaRange)
        preferColorProbability = try c.decode(Float.self, forKey: .preferColorProbability)
        maximumPlacementAttempts = try c.decode(Int.self, forKey: .maximumPlacementAttempts)
        denseProbability = try c.decodeIfPresent(Float.self, forKey: .denseProbability) ?? 0
        denseCountRange = try c.decodeIfPresent(ClosedRange<Int>.self, forKey: .denseCountRange) ?? 16...160
    }

    /// Draws a hint count as in step 1.
    public func sampleCount(rng: inout SeededGenerator) -> Int {
        if rng.chance(zeroHintProbability) { return 0 }
        // Checked only when enabled, so recipes without dense counts keep their random sequence.
        if denseProbability > 0 && rng.chance(denseProbability) {
            let (low, high) = (log(Double(denseCountRange.lowerBound)), log(Double(denseCountRange.upperBound) + 1))
            let count = Int(exp(low + (high - low) * Double(rng.nextUniform())).rounded(.down))
            return min(max(count, denseCountRange.lowerBound), denseCountRange.upperBound)
        }
        // Inverse CDF of the geometric distribution on {1, 2, …} with success rate 1/mean.
        let survival = Double(1 - 1 / meanCount)
        guard survival > 0 else { return 1 }
        let u = 1 - Double(rng.nextUniform())  // (0, 1]
        let count = 1 + Int((log(u) / log(survival)).rounded(.down))
        return min(count, maximumCount)
    }

    /// Hints for `target` with a random count (step 1).
    ///
    /// - Parameters:
    ///   - target: the ground-truth colours, at model resolution.
    ///   - lines: its line art (1 paper, 0 ink), same size, or nil for photos.
    public func simulateHints(target: RGBImage, lines: FloatPlane? = nil, rng: inout SeededGenerator)
        -> SimulatedHints
    {
        let count = sampleCount(rng: &rng)
        return simulateHints(count: count, target: target, lines: lines, rng: &rng)
    }

    /// Exactly `count` hints (points or strokes) for `target`: steps 2–4.
    public func simulateHints(count: Int, target: RGBImage, lines: FloatPlane? = nil, rng: inout SeededGenerator)
        -> SimulatedHints
    {
        precondition(count >= 0, "hint count must not be negative, got \(count)")
        precondition(target.width > 0 && target.height > 0, "target image is empty")
        if let lines {
            precondition(
                lines.width == target.width && lines.height == target.height,
                "line art \(lines.width)x\(lines.height) does not match target \(target.width)x\(target.height)")
        }
        var hints: [ColorHint] = []
        for _ in 0..<count {
            let (x, y) = placeCenter(target: target, lines: lines, rng: &rng)
            let radius = rng.integer(in: radiusRange)
            let color = hintColor(x: x, y: y, target: target, lines: lines, rng: &rng)
            var centers = [(x, y)]
            if rng.chance(strokeProbability) {
                let discs = rng.integer(in: strokeDiscRange)
                let angle = rng.uniform(0...(2 * Float.pi))
                let spacing = max(1, Float(radius) * rng.uniform(0.6...1.0))
                for step in 1..<discs {
                    let px = Int((Float(x) + Float(step) * spacing * cos(angle)).rounded())
                    let py = Int((Float(y) + Float(step) * spacing * sin(angle)).rounded())
                    guard px >= 0, px < target.width, py >= 0, py < target.height, !isInk(px, py, lines) else { break }
                    centers.append((px, py))
                }
            }
            for (cx, cy) in centers {
                hints.append(ColorHint(x: cx, y: cy, red: color.0, green: color.1, blue: color.2, radius: radius))
            }
        }
        let planes = HintRasterizer(width: target.width, height: target.height).rasterize(hints)
        return SimulatedHints(hintCount: count, hints: hints, planes: planes)
    }

    /// The mean colour (in [0, 1]) of the window around (`x`, `y`), ink excluded when
    /// `lines` is given and the window is not all ink. Step 4 without the noise.
    public func localMean(x: Int, y: Int, target: RGBImage, lines: FloatPlane?) -> (Float, Float, Float) {
        var sums: (Float, Float, Float, Int) = (0, 0, 0, 0)
        var allSums: (Float, Float, Float, Int) = (0, 0, 0, 0)
        for wy in max(y - colorWindowRadius, 0)...min(y + colorWindowRadius, target.height - 1) {
            for wx in max(x - colorWindowRadius, 0)...min(x + colorWindowRadius, target.width - 1) {
                let pixel = target[wx, wy]
                let (r, g, b) = (Float(pixel.red), Float(pixel.green), Float(pixel.blue))
                allSums = (allSums.0 + r, allSums.1 + g, allSums.2 + b, allSums.3 + 1)
                if !isInk(wx, wy, lines) { sums = (sums.0 + r, sums.1 + g, sums.2 + b, sums.3 + 1) }
            }
        }
        let chosen = sums.3 > 0 ? sums : allSums
        let scale = 1 / (255 * Float(chosen.3))
        return (chosen.0 * scale, chosen.1 * scale, chosen.2 * scale)
    }

    private func hintColor(x: Int, y: Int, target: RGBImage, lines: FloatPlane?, rng: inout SeededGenerator)
        -> (UInt8, UInt8, UInt8)
    {
        let mean = localMean(x: x, y: y, target: target, lines: lines)
        let sigma = rng.uniform(noiseSigmaRange)
        func byte(_ value: Float, _ rng: inout SeededGenerator) -> UInt8 {
            UInt8((min(max(value + sigma * rng.nextNormal(), 0), 1) * 255).rounded())
        }
        return (byte(mean.0, &rng), byte(mean.1, &rng), byte(mean.2, &rng))
    }

    /// Step 3: a centre off the ink and, half the time, off near-white pixels.
    private func placeCenter(target: RGBImage, lines: FloatPlane?, rng: inout SeededGenerator) -> (Int, Int) {
        let avoidWhite = rng.chance(preferColorProbability)
        var offInk: (Int, Int)?
        var last = (0, 0)
        for _ in 0..<max(1, maximumPlacementAttempts) {
            let x = rng.integer(in: 0...(target.width - 1))
            let y = rng.integer(in: 0...(target.height - 1))
            last = (x, y)
            if isInk(x, y, lines) { continue }
            if !avoidWhite { return (x, y) }
            let pixel = target[x, y]
            if min(pixel.red, pixel.green, pixel.blue) < 240 { return (x, y) }
            if offInk == nil { offInk = (x, y) }
        }
        return offInk ?? last
    }

    private func isInk(_ x: Int, _ y: Int, _ lines: FloatPlane?) -> Bool {
        guard let lines else { return false }
        return lines[x, y] < 0.5
    }
}

/// One draw of `HintSimulation`: the hints as values and as model input planes.
public struct SimulatedHints: Sendable, Equatable {
    /// Number of hints drawn; a stroke counts once although it adds several discs to `hints`.
    public var hintCount: Int
    /// Every painted disc, in model pixel coordinates, in painting order.
    public var hints: [ColorHint]
    /// `hints` rasterized at the target's size: `hintColor` (3, H, W) and `hintMask` (1, H, W).
    public var planes: HintPlanes
}
