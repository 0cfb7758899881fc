import ImageCodecs

/// A composed line-art picture split the way artists work — lines, flat colours, shading —
/// so that the layers, stacked as OpenRaster composites them, give back the picture.
///
/// Bottom to top (C is the colour under the lines, `LineArtPaint.colors`; ink is the line
/// art, 1 on paper and 0 on ink):
/// - `paper`: opaque white — hide it and the page is transparent.
/// - `flats` (normal): one colour per region of the drawing (`InkRegions`): the per-channel
///   median of C over the region's paper; on the page (open regions) only over the paper
///   the hints reach, and the layer's alpha there is how far they reach (1 − paper weight),
///   so unreached page is clear. Ink pixels take the region of the paper beside them, deeper
///   ink the nearest region. Call B the paper with the flats over it.
/// - `shading` (multiply): C / B where C is darker than B, channel by channel, else white
///   (and clear where all three are white) — the network's shading and the hints' seams.
/// - `light` (screen): (C − B) / (1 − B) where C is lighter than B, else black (clear) — the
///   few places brighter than their region's flat colour.
/// - `lines` (normal): black with alpha 1 − ink, so the paper between lines is clear; over
///   C it gives C × ink, the composition's last step.
///
/// Every layer is 8-bit, and each step is computed from the 8-bit values of the layers below
/// it, so the only differences from the picture are the roundings of each layer: the
/// multiply and screen layers' values (half a level of C each), the lines' alpha (half a
/// level of the result) and the final rounding — at most 2 levels in theory, see the tests.
public struct LineArtLayers: Sendable {
    public let paper: RGBAImage
    public let flats: RGBAImage
    public let shading: RGBAImage
    public let light: RGBAImage
    public let lines: RGBAImage

    /// Splits `paint` over `guide`'s regions and lines.
    public init(paint: LineArtPaint, guide: LineArtGuide) {
        let (width, height) = (paint.width, paint.height)
        precondition(guide.lines.width == width && guide.lines.height == height, "the guide is for another size")
        let plane = width * height
        let flatColors = Self.flatColors(paint: paint, regions: guide.regions)
        let regionOf = Self.regionOfEveryPixel(guide.regions)
        paper = RGBAImage(width: width, height: height, red: 255, green: 255, blue: 255, alpha: 255)
        var flats = [UInt8](repeating: 0, count: 4 * plane)
        var shading = [UInt8](repeating: 0, count: 4 * plane)
        var light = [UInt8](repeating: 0, count: 4 * plane)
        var lines = [UInt8](repeating: 0, count: 4 * plane)
        for i in 0..<plane {
            let flat = regionOf[i] >= 0 ? flatColors[Int(regionOf[i])] : (255, 255, 255)
            let alpha = Self.byte(1 - paint.paper[i])
            flats[4 * i] = flat.0
            flats[4 * i + 1] = flat.1
            flats[4 * i + 2] = flat.2
            flats[4 * i + 3] = alpha
            let a = Float(alpha) / 255
            var isShaded = false
            var isLit = false
            for c in 0..<3 {
                let flatChannel = c == 0 ? flat.0 : c == 1 ? flat.1 : flat.2
                // The backdrop as a compositor sees it: the flat over white paper.
                let backdrop = a * Float(flatChannel) / 255 + (1 - a)
                let target = paint.colors[c * plane + i]
                var multiplier: UInt8 = 255
                var screen: UInt8 = 0
                if target < backdrop {
                    multiplier = Self.byte(target / backdrop)
                } else if target > backdrop {
                    screen = Self.byte((target - backdrop) / (1 - backdrop))
                }
                shading[4 * i + c] = multiplier
                light[4 * i + c] = screen
                isShaded = isShaded || multiplier < 255
                isLit = isLit || screen > 0
            }
            shading[4 * i + 3] = isShaded ? 255 : 0
            light[4 * i + 3] = isLit ? 255 : 0
            lines[4 * i + 3] = Self.byte(1 - guide.lines.values[i])
        }
        self.flats = RGBAImage(width: width, height: height, pixels: flats)
        self.shading = RGBAImage(width: width, height: height, pixels: shading)
        self.light = RGBAImage(width: width, height: height, pixels: light)
        self.lines = RGBAImage(width: width, height: height, pixels: lines)
    }

    /// The flat colour of each region: the per-channel median of the paint over the region's
    /// paper pixels (on an open region, those the hints reach more than half); white where
    /// there are none.
    static func flatColors(paint: LineArtPaint, regions: InkRegions) -> [(UInt8, UInt8, UInt8)] {
        let plane = paint.width * paint.height
        // Pixels grouped by region (a counting sort), then one histogram per region and channel.
        var starts = [Int](repeating: 0, count: regions.count + 1)
        func counts(_ i: Int) -> Int? {
            let label = regions.labels[i]
            guard label >= 0, !regions.isOpen[Int(label)] || paint.paper[i] < 0.5 else { return nil }
            return Int(label)
        }
        for i in 0..<plane { if let r = counts(i) { starts[r + 1] += 1 } }
        for r in 0..<regions.count { starts[r + 1] += starts[r] }
        var members = [Int32](repeating: 0, count: starts[regions.count])
        var next = starts
        for i in 0..<plane {
            guard let r = counts(i) else { continue }
            members[next[r]] = Int32(i)
            next[r] += 1
        }
        var histogram = [Int](repeating: 0, count: 256)
        return (0..<regions.count).map { r -> (UInt8, UInt8, UInt8) in
            let pixels = members[starts[r]..<starts[r + 1]]
            guard !pixels.isEmpty else { return (255, 255, 255) }
            var median: [UInt8] = []
            for c in 0..<3 {
                for k in 0..<256 { histogram[k] = 0 }
                for i in pixels { histogram[Int(byte(paint.colors[c * plane + Int(i)]))] += 1 }
                var seen = 0
                var value = 0
                while seen + histogram[value] <= (pixels.count - 1) / 2 {
                    seen += histogram[value]
                    value += 1
                }
                median.append(UInt8(value))
            }
            return (median[0], median[1], median[2])
        }
    }

    /// The region each pixel's flat colour comes from: its own (`InkRegions.effectiveRegion`),
    /// or for ink deeper than that the region reached first through the ink (breadth
    /// first); −1 when the picture has no region at all.
    static func regionOfEveryPixel(_ regions: InkRegions) -> [Int32] {
        let plane = regions.width * regions.height
        var region = [Int32](repeating: -1, count: plane)
        var queue: [Int] = []
        for i in 0..<plane {
            guard let r = regions.effectiveRegion(i) else { continue }
            region[i] = Int32(r)
            queue.append(i)
        }
        var head = 0
        while head < queue.count {
            let i = queue[head]
            head += 1
            for j in PixelNeighbours(i, width: regions.width, height: regions.height) where region[j] < 0 {
                region[j] = region[i]
                queue.append(j)
            }
        }
        return region
    }

    @inline(__always) static func byte(_ unit: Float) -> UInt8 { ColorizationEncoding.byte(255 * unit) }
}
