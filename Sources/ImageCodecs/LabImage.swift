extension RGBImage {
    /// L\*, a\*, b\* as three planes, channel-major `(3, height, width)`: the layout the
    /// NCHW engine consumes. Plane 0 is L\* (0...100), planes 1 and 2 are a\* and b\*.
    public func labPlanes() -> [Float] {
        let count = pixelCount
        var planes = [Float](repeating: 0, count: 3 * count)
        let table = SRGB.linearTable
        pixels.withUnsafeBufferPointer { rgb in
            for index in 0..<count {
                let lab = LabColor.fromLinearRGB(
                    table[Int(rgb[3 * index])], table[Int(rgb[3 * index + 1])], table[Int(rgb[3 * index + 2])])
                planes[index] = lab.l
                planes[count + index] = lab.a
                planes[2 * count + index] = lab.b
            }
        }
        return planes
    }

    /// Builds an image from `(3, height, width)` L\*a\*b\* planes (the inverse of
    /// `labPlanes()`), clamping colours outside the sRGB gamut and rounding to bytes.
    public init(labPlanes planes: [Float], width: Int, height: Int) {
        let count = width * height
        precondition(planes.count == 3 * count, "need 3x\(height)x\(width) Lab values, got \(planes.count)")
        var pixels = [UInt8](repeating: 0, count: 3 * count)
        for index in 0..<count {
            let rgb = LabColor.labToRGB(
                LabColor(l: planes[index], a: planes[count + index], b: planes[2 * count + index]))
            pixels[3 * index] = Self.byte(rgb.red)
            pixels[3 * index + 1] = Self.byte(rgb.green)
            pixels[3 * index + 2] = Self.byte(rgb.blue)
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    private static func byte(_ value: Float) -> UInt8 {
        guard value.isFinite else { return 0 }
        return UInt8(min(max(value * 255, 0), 255).rounded())
    }
}
