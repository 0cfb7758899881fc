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

    /// L\* alone (0...100), one value per pixel: plane 0 of `labPlanes()`, the same values,
    /// for a third of the work and memory (and a look-up for gray pixels, r = g = b).
    public func lightnessPlane() -> [Float] {
        let count = pixelCount
        var lightness = [Float](repeating: 0, count: count)
        let table = SRGB.linearTable
        let grayLightness = table.map { LabColor.lightness(ofLinearRGB: $0, $0, $0) }
        pixels.withUnsafeBufferPointer { rgb in
            lightness.withUnsafeMutableBufferPointer { out in
                let (rgb, out) = (UncheckedPointer(rgb.baseAddress!), UncheckedPointer(out.baseAddress!))
                PixelBands.forEach(count) { band in
                    for index in band {
                        let (r, g, b) = (rgb.pointer[3 * index], rgb.pointer[3 * index + 1], rgb.pointer[3 * index + 2])
                        out.pointer[index] =
                            r == g && g == b
                            ? grayLightness[Int(r)]
                            : LabColor.lightness(ofLinearRGB: table[Int(r)], table[Int(g)], table[Int(b)])
                    }
                }
            }
        }
        return lightness
    }

    /// Builds an image from `(3, height, width)` L\*a\*b\* planes (the inverse of
    /// `labPlanes()`), clamping colours outside the sRGB gamut and rounding to bytes.
    public init(labPlanes planes: [Float], width: Int, height: Int) {
        let count = width * height
        precondition(planes.count == 3 * count, "need 3x\(height)x\(width) Lab values, got \(planes.count)")
        self = planes.withUnsafeBufferPointer { lab in
            RGBImage(lightness: lab.baseAddress!, a: lab.baseAddress! + count, b: lab.baseAddress! + 2 * count, width: width, height: height)
        }
    }

    /// Builds an image from L\*, a\* and b\* planes that lie apart (`width × height` values
    /// each), a\* and b\* multiplied by `chromaScale` first, as `init(labPlanes:…)` does; the
    /// pixels are shared out among the cores.
    public init(
        lightness: UnsafePointer<Float>, a: UnsafePointer<Float>, b: UnsafePointer<Float>, chromaScale: Float = 1,
        width: Int, height: Int
    ) {
        let count = width * height
        var pixels = [UInt8](repeating: 0, count: 3 * count)
        pixels.withUnsafeMutableBufferPointer { out in
            let (l, a, b, out) = (UncheckedPointer(lightness), UncheckedPointer(a), UncheckedPointer(b), UncheckedPointer(out.baseAddress!))
            let codes = CodeSteps.shared
            PixelBands.forEach(count) { band in
                for index in band {
                    let (red, green, blue) = LabColor.toLinearRGB(
                        LabColor(l: l.pointer[index], a: a.pointer[index] * chromaScale, b: b.pointer[index] * chromaScale))
                    out.pointer[3 * index] = codes.byte(ofLinear: red)
                    out.pointer[3 * index + 1] = codes.byte(ofLinear: green)
                    out.pointer[3 * index + 2] = codes.byte(ofLinear: blue)
                }
            }
        }
        self.init(width: width, height: height, pixels: pixels)
    }
}
