/// The paper of a line drawing cut into regions bounded by ink, with gaps in the lines
/// closed: trapped-ball segmentation (Zhang et al., "Trapped-ball segmentation", as used
/// for cartoon colorization).
///
/// A ball of radius r = `gapRadius` fits wherever the distance to the nearest ink exceeds
/// r. The connected sets of such centres become regions, and each grows by r (the area its
/// balls cover). A ball cannot pass a gap of 2r pixels or less, so a shape whose outline has
/// such a gap gets its own region instead of joining the page. Paper no ball reached
/// (strips narrower than the ball, the gap pixels themselves, corners beside the lines)
/// then joins the region it touches first, growing through paper only; pockets touching no
/// region (a small shape closed all round) become regions of their own. Ink pixels belong to
/// no region, so a closed line always separates regions, however thin it is. (One ball
/// size rather than several shrinking ones: smaller balls would also cut the page's narrow
/// bays between strokes into closed regions of their own, which the page rule then could
/// not keep white.)
///
/// A region is open when it reaches the picture's border: the page around a drawing.
public struct InkRegions: Sendable, Equatable {
    /// The label of ink pixels.
    public static let ink: Int32 = -1
    /// How deep into the ink a pixel still counts as the paper beside it (`paperOf`): the
    /// anti-aliased edge of a line takes its region's colour.
    public static let inkReach = 3

    public let width: Int
    public let height: Int
    /// Region of each pixel (0..<count), or `ink`.
    public let labels: [Int32]
    /// Whether each region reaches the picture's border.
    public let isOpen: [Bool]
    /// For every pixel, the paper pixel it counts as: itself on paper; for ink up to
    /// `inkReach` pixels from paper, the paper pixel reaching it first (breadth first); −1
    /// deeper inside the ink.
    public let paperOf: [Int32]

    public var count: Int { isOpen.count }

    /// The gap radius for a drawing whose longer side is `side` pixels: gaps of about 6 px
    /// closed at 512 px, scaled with the drawing, at least 1 and at most 8.
    public static func gapRadius(forLongerSide side: Int) -> Int {
        max(1, min(12, Int((Double(side) / 100).rounded())))
    }

    /// Segments `lines` (1 paper, 0 ink); pixels at or below `inkLevel` are ink.
    public init(lines: FloatPlane, gapRadius: Int, inkLevel: Float = PaperBackground.paperThreshold) {
        precondition(gapRadius >= 1, "the gap radius must be at least 1")
        let (width, height) = (lines.width, lines.height)
        let isInk = lines.values.map { $0 <= inkLevel }
        let distance = DistanceTransform.squared(width: width, height: height, isSource: isInk)
        var grower = RegionGrower(width: width, height: height, labels: isInk.map { $0 ? Self.ink : RegionGrower.unclaimed })
        grower.claimBalls(radius: gapRadius, squaredDistance: distance)
        grower.growIntoUnclaimedPaper()
        grower.claimPockets()
        (self.width, self.height, labels) = (width, height, grower.labels)
        var open = [Bool](repeating: false, count: grower.regionCount)
        for x in 0..<width {
            for y in [0, height - 1] where labels[y * width + x] >= 0 { open[Int(labels[y * width + x])] = true }
        }
        for y in 0..<height {
            for x in [0, width - 1] where labels[y * width + x] >= 0 { open[Int(labels[y * width + x])] = true }
        }
        isOpen = open
        paperOf = Self.nearestPaper(labels: labels, width: width, height: height)
    }

    /// The region a pixel counts as (`paperOf`'s), or nil deep inside the ink.
    public func effectiveRegion(_ i: Int) -> Int? {
        let source = paperOf[i]
        return source >= 0 ? Int(labels[Int(source)]) : nil
    }

    private static func nearestPaper(labels: [Int32], width: Int, height: Int) -> [Int32] {
        var source = [Int32](repeating: -1, count: labels.count)
        var depth = [Int](repeating: 0, count: labels.count)
        var queue: [Int] = []
        for i in labels.indices where labels[i] != ink {
            source[i] = Int32(i)
            queue.append(i)
        }
        var head = 0
        while head < queue.count {
            let i = queue[head]
            head += 1
            guard depth[i] < inkReach else { continue }
            for j in PixelNeighbours(i, width: width, height: height) where source[j] < 0 {
                source[j] = source[i]
                depth[j] = depth[i] + 1
                queue.append(j)
            }
        }
        return source
    }

    /// The region at (x, y), or nil on ink.
    public func region(x: Int, y: Int) -> Int? {
        let label = labels[y * width + x]
        return label >= 0 ? Int(label) : nil
    }
}

/// The labelling work of `InkRegions`, one step per method.
private struct RegionGrower {
    static let unclaimed: Int32 = -2

    let width: Int
    let height: Int
    var labels: [Int32]
    var regionCount = 0

    init(width: Int, height: Int, labels: [Int32]) {
        (self.width, self.height, self.labels) = (width, height, labels)
    }

    /// The 4-neighbours of pixel `i`.
    func neighbours(_ i: Int) -> PixelNeighbours { PixelNeighbours(i, width: width, height: height) }

    /// New regions from the unclaimed centres where a ball of `radius` fits, each grown by
    /// the balls' reach.
    mutating func claimBalls(radius: Int, squaredDistance: [Float]) {
        let fits = Float(radius * radius)
        var cores: [Int] = []
        for start in labels.indices where labels[start] == Self.unclaimed && squaredDistance[start] > fits {
            let label = Int32(regionCount)
            regionCount += 1
            labels[start] = label
            var stack = [start]
            while let i = stack.popLast() {
                cores.append(i)
                for j in neighbours(i) where labels[j] == Self.unclaimed && squaredDistance[j] > fits {
                    labels[j] = label
                    stack.append(j)
                }
            }
        }
        // Grow each core pixel's ball: breadth first, a pixel joins when it lies within
        // `radius` of the core pixel the growth came from (the ball holds no ink).
        var queue = cores.map { (pixel: $0, origin: $0) }
        var head = 0
        let reach = radius * radius
        while head < queue.count {
            let (i, origin) = queue[head]
            head += 1
            for j in neighbours(i) where labels[j] == Self.unclaimed {
                let dx = j % width - origin % width
                let dy = j / width - origin / width
                guard dx * dx + dy * dy <= reach else { continue }
                labels[j] = labels[i]
                queue.append((j, origin))
            }
        }
    }

    /// Unclaimed paper joins the region that reaches it first, breadth first through paper.
    mutating func growIntoUnclaimedPaper() {
        var queue: [Int] = []
        for i in labels.indices where labels[i] >= 0 && neighbours(i).contains(where: { labels[$0] == Self.unclaimed }) {
            queue.append(i)
        }
        var head = 0
        while head < queue.count {
            let i = queue[head]
            head += 1
            for j in neighbours(i) where labels[j] == Self.unclaimed {
                labels[j] = labels[i]
                queue.append(j)
            }
        }
    }

    /// Paper still unclaimed touches no region: each connected pocket becomes one.
    mutating func claimPockets() {
        for start in labels.indices where labels[start] == Self.unclaimed {
            let label = Int32(regionCount)
            regionCount += 1
            labels[start] = label
            var stack = [start]
            while let i = stack.popLast() {
                for j in neighbours(i) where labels[j] == Self.unclaimed {
                    labels[j] = label
                    stack.append(j)
                }
            }
        }
    }
}

/// The 4-neighbours of one pixel of a `width × height` grid, without allocating.
struct PixelNeighbours: Sequence, IteratorProtocol {
    private var candidates: (Int, Int, Int, Int)
    private var count = 0
    private var position = 0

    init(_ i: Int, width: Int, height: Int) {
        let (x, y) = (i % width, i / width)
        candidates = (0, 0, 0, 0)
        if x > 0 { append(i - 1) }
        if x < width - 1 { append(i + 1) }
        if y > 0 { append(i - width) }
        if y < height - 1 { append(i + width) }
    }

    private mutating func append(_ j: Int) {
        switch count {
        case 0: candidates.0 = j
        case 1: candidates.1 = j
        case 2: candidates.2 = j
        default: candidates.3 = j
        }
        count += 1
    }

    mutating func next() -> Int? {
        guard position < count else { return nil }
        defer { position += 1 }
        switch position {
        case 0: return candidates.0
        case 1: return candidates.1
        case 2: return candidates.2
        default: return candidates.3
        }
    }
}
