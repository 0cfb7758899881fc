/// Errors of an export a colorization cannot give.
public enum ExportError: Error, CustomStringConvertible, Equatable {
    /// Only line art has paper: a photo or a translated picture has no page to clear.
    case noPaper
    /// A `.psd` holds at most `PhotoshopDocument.maximumSide` pixels a side.
    case tooLargeForPhotoshop(width: Int, height: Int)

    public var description: String {
        switch self {
        case .noPaper: "a transparent background needs line art: only line-art mode knows which pixels are the page's paper"
        case .tooLargeForPhotoshop(let width, let height):
            "a Photoshop file holds at most \(PhotoshopDocument.maximumSide) pixels a side, and the picture is \(width)×\(height); ask for \"ora\" instead"
        }
    }
}
