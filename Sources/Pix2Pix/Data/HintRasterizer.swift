/// The hint input channels of a colorization model, at the model's resolution.
public struct HintPlanes: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// (3, H, W): hint RGB in [0, 1] where the mask is 1, zero elsewhere.
    public var hintColor: [Float]
    /// (1, H, W): 1 where a hint was painted, 0 elsewhere.
    public var hintMask: [Float]

    /// Empty planes (no hints).
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        hintColor = [Float](repeating: 0, count: 3 * width * height)
        hintMask = [Float](repeating: 0, count: width * height)
    }
}

/// Paints `ColorHint` discs onto `HintPlanes` of a fixed size.
///
/// Training (simulated hints) and inference (user hints) both go through here so the model
/// sees identical discs either way. Hints later in the list paint over earlier ones.
public struct HintRasterizer: Sendable {
    /// Width of the planes produced (the model's input width).
    public let width: Int
    /// Height of the planes produced (the model's input height).
    public let height: Int

    /// A rasterizer for `width × height` planes.
    public init(width: Int, height: Int) {
        precondition(width > 0 && height > 0, "hint planes need a positive size, got \(width)x\(height)")
        self.width = width
        self.height = height
    }

    /// Paints `hints` given in the pixel space of a `sourceWidth × sourceHeight` image.
    ///
    /// Pixel centres map onto pixel centres: x′ = round((x + ½) · width / sourceWidth − ½),
    /// likewise for y. Radii scale by the mean of the two factors and are kept at least
    /// 1 pixel, the smallest radius hint simulation trains on, so a hint never vanishes.
    /// Hints whose centre falls outside the source image are skipped.
    public func rasterize(_ hints: [ColorHint], sourceWidth: Int, sourceHeight: Int) -> HintPlanes {
        precondition(sourceWidth > 0 && sourceHeight > 0, "source size must be positive")
        let scaleX = Double(width) / Double(sourceWidth)
        let scaleY = Double(height) / Double(sourceHeight)
        var planes = HintPlanes(width: width, height: height)
        for hint in hints where hint.x >= 0 && hint.x < sourceWidth && hint.y >= 0 && hint.y < sourceHeight {
            let x = min(max(Int(((Double(hint.x) + 0.5) * scaleX - 0.5).rounded()), 0), width - 1)
            let y = min(max(Int(((Double(hint.y) + 0.5) * scaleY - 0.5).rounded()), 0), height - 1)
            let radius = max(1, Int((Double(hint.radius) * (scaleX + scaleY) / 2).rounded()))
            paint(&planes, x: x, y: y, radius: radius, hint: hint)
        }
        return planes
    }

    /// Paints `hints` already in plane coordinates, radii unchanged (0 paints one pixel).
    public func rasterize(_ hints: [ColorHint]) -> HintPlanes {
        var planes = HintPlanes(width: width, height: height)
        for hint in hints { paint(&planes, x: hint.x, y: hint.y, radius: max(0, hint.radius), hint: hint) }
        return planes
    }

    private func paint(_ planes: inout HintPlanes, x: Int, y: Int, radius: Int, hint: ColorHint) {
        let count = width * height
        let color = [Float(hint.red) / 255, Float(hint.green) / 255, Float(hint.blue) / 255]
        let top = max(y - radius, 0)
        let bottom = min(y + radius, height - 1)
        let left = max(x - radius, 0)
        let right = min(x + radius, width - 1)
        guard top <= bottom, left <= right else { return }  // disc entirely outside
        for py in top...bottom {
            for px in left...right {
                let dx = px - x
                let dy = py - y
                guard dx * dx + dy * dy <= radius * radius else { continue }
                let index = py * width + px
                planes.hintMask[index] = 1
                for channel in 0..<3 { planes.hintColor[channel * count + index] = color[channel] }
            }
        }
    }
}
