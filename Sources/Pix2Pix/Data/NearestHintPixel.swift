/// For every pixel, the nearest pixel painted by a hint — the map behind the photo model's
/// dense hint fill (each pixel takes the chroma of the nearest hinted pixel).
///
/// Two raster passes propagate the nearest seed from neighbour to neighbour (a chamfer-style
/// sweep, as in Danielsson's 8SSEDT): forward over the left and upper neighbours, then
/// backward over the right and lower ones, keeping whichever candidate seed is closest in
/// Euclidean distance. Linear in the pixel count; the seed found can differ from the exact
/// nearest one by a fraction of a pixel's distance in rare configurations, which does not
/// matter for a colour fill.
public enum NearestHintPixel {
    /// Index (y·width + x) of the nearest pixel whose `mask` value is above 0 for each pixel,
    /// or nil when the mask is empty.
    public static func map(mask: [Float], width: Int, height: Int) -> [Int32]? {
        precondition(mask.count == width * height, "mask does not match \(width)×\(height)")
        var nearest = [Int32](repeating: -1, count: width * height)
        var any = false
        for i in 0..<mask.count where mask[i] > 0 {
            nearest[i] = Int32(i)
            any = true
        }
        guard any else { return nil }

        func distance(_ x: Int, _ y: Int, _ seed: Int32) -> Int {
            let dx = x - Int(seed) % width, dy = y - Int(seed) / width
            return dx * dx + dy * dy
        }
        func relax(_ x: Int, _ y: Int, from nx: Int, _ ny: Int) {
            guard nx >= 0, nx < width, ny >= 0, ny < height else { return }
            let candidate = nearest[ny * width + nx]
            guard candidate >= 0 else { return }
            let here = y * width + x
            if nearest[here] < 0 || distance(x, y, candidate) < distance(x, y, nearest[here]) {
                nearest[here] = candidate
            }
        }
        for y in 0..<height {
            for x in 0..<width {
                relax(x, y, from: x - 1, y)
                relax(x, y, from: x - 1, y - 1)
                relax(x, y, from: x, y - 1)
                relax(x, y, from: x + 1, y - 1)
            }
            for x in stride(from: width - 1, through: 0, by: -1) { relax(x, y, from: x + 1, y) }
        }
        for y in stride(from: height - 1, through: 0, by: -1) {
            for x in stride(from: width - 1, through: 0, by: -1) {
                relax(x, y, from: x + 1, y)
                relax(x, y, from: x + 1, y + 1)
                relax(x, y, from: x, y + 1)
                relax(x, y, from: x - 1, y + 1)
            }
            for x in 0..<width { relax(x, y, from: x - 1, y) }
        }
        return nearest
    }
}
