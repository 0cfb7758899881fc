/// One kernel tap of a stride-2 convolution over one input plane, seen through the plane's
/// stride phases (the walk that im2col and col2im share for stride 2).
struct PhaseTap {
    /// The tap's lines of the column matrix for this image (OH lines of OW).
    let columnLines: UnsafeMutablePointer<Float>
    /// Output rows and columns whose input position falls inside the plane.
    let rows: Range<Int>, columns: Range<Int>
    /// The phase plane holding the tap's input positions, its row length, and the offsets of
    /// output row y, column x in it: phase[(y + rowShift)·phaseRow + x + columnShift].
    let phase: UnsafeMutablePointer<Float>
    let phaseRow: Int, rowShift: Int, columnShift: Int

    /// Where output row y of this tap starts in its phase plane (add the column).
    @inline(__always)
    func phaseLine(_ y: Int) -> UnsafeMutablePointer<Float> { phase + (y + rowShift) * phaseRow + columnShift }

    /// Shares the (n, c) input planes out among the cores, each worker with a phase scratch of
    /// one plane, and calls `body(plane, phases, scratch, taps)`; `taps` walks the kernel taps of
    /// that plane. Each worker owns whole planes, hence disjoint stretches of the column matrix.
    @inline(__always)
    static func forEachPlane(
        _ g: ConvGeometry, columns: UnsafeMutablePointer<Float>,
        _ body: (_ plane: Int, StridePhases, UnsafeMutablePointer<Float>, _ taps: ((PhaseTap) -> Void) -> Void) -> Void
    ) {
        let phases = StridePhases(h: g.h, w: g.w)
        let matrix = UncheckedSendable(columns)
        Parallel.forEachChunk(g.n * g.c, costPerItem: g.kh * g.kw * g.outPlane) { planes in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: g.h * g.w)
            defer { scratch.deallocate() }
            for plane in planes {
                let (n, c) = (plane / g.c, plane % g.c)
                body(plane, phases, scratch) { visit in
                    for i in 0..<g.kh {
                        let (rowPhase, rowShift) = StridePhases.split(i - g.padding)
                        for j in 0..<g.kw {
                            let (columnPhase, columnShift) = StridePhases.split(j - g.padding)
                            visit(
                                PhaseTap(
                                    columnLines: matrix.value + ((c * g.kh + i) * g.kw + j) * g.columns + n * g.outPlane,
                                    rows: g.validRange(kernelOffset: i, size: g.h, outSize: g.outH),
                                    columns: g.validRange(kernelOffset: j, size: g.w, outSize: g.outW),
                                    phase: scratch + phases.start(rowPhase, columnPhase),
                                    phaseRow: phases.width(columnPhase), rowShift: rowShift, columnShift: columnShift))
                        }
                    }
                }
            }
        }
    }
}

/// An H×W plane split by stride 2 into four phase planes — even rows' even columns, even
/// rows' odd columns, odd rows' even columns, odd rows' odd columns — stored one after
/// another in H·W floats.
struct StridePhases {
    let h: Int, w: Int

    /// Rows and columns of each phase: (parity 0, parity 1).
    private var evenRows: Int { (h + 1) / 2 }
    private var evenColumns: Int { (w + 1) / 2 }
    private var oddColumns: Int { w / 2 }

    /// Columns in a phase of column parity `columnPhase`.
    func width(_ columnPhase: Int) -> Int { columnPhase == 0 ? evenColumns : oddColumns }

    /// Where the phase (rowPhase, columnPhase) starts.
    func start(_ rowPhase: Int, _ columnPhase: Int) -> Int {
        (rowPhase == 0 ? 0 : evenRows * w) + columnPhase * (rowPhase == 0 ? evenRows : h / 2) * evenColumns
    }

    /// Index `2·shift + offset` = `2·(position + shift) + phase`: the parity of `offset` and
    /// the whole steps it adds, for an input index `2·position + offset`.
    static func split(_ offset: Int) -> (phase: Int, shift: Int) {
        let phase = offset & 1
        return (phase, (offset - phase) / 2)
    }

    /// `phase(r mod 2, q mod 2)[r / 2, q / 2] = plane[r, q]` for the whole plane.
    func split(_ plane: UnsafePointer<Float>, into phases: UnsafeMutablePointer<Float>) {
        forEachRow(of: phases) { r, even, odd in
            let line = plane + r * w
            for v in 0..<oddColumns { (even[v], odd[v]) = (line[2 * v], line[2 * v + 1]) }
            if evenColumns > oddColumns { even[evenColumns - 1] = line[w - 1] }
        }
    }

    /// `plane[r, q] = base + phase(r mod 2, q mod 2)[r / 2, q / 2]` for the whole plane.
    func interleave(_ phases: UnsafePointer<Float>, over base: Float, into plane: UnsafeMutablePointer<Float>) {
        forEachRow(of: UnsafeMutablePointer(mutating: phases)) { r, even, odd in
            let line = plane + r * w
            for v in 0..<oddColumns {
                line[2 * v] = base + even[v]
                line[2 * v + 1] = base + odd[v]
            }
            if evenColumns > oddColumns { line[w - 1] = base + even[evenColumns - 1] }
        }
    }

    /// Calls `body(r, even, odd)` for every row r of the plane with where its even and its odd
    /// columns sit in the phase planes at `phases`.
    @inline(__always)
    private func forEachRow(
        of phases: UnsafeMutablePointer<Float>,
        _ body: (Int, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void
    ) {
        for r in 0..<h {
            let (rowPhase, u) = (r & 1, r >> 1)
            body(r, phases + start(rowPhase, 0) + u * evenColumns, phases + start(rowPhase, 1) + u * oddColumns)
        }
    }
}
