import ImageCodecs

/// One layer of a layered export, whatever the file format (`OpenRaster`,
/// `PhotoshopDocument`): a full-size picture with straight alpha, how it combines with the
/// layers below it, and whether it is shown.
public struct ExportLayer: Sendable {
    /// How a layer combines with what is below it (W3C compositing, as both formats define
    /// these three).
    public enum Composite: Sendable, CaseIterable {
        /// Source over.
        case normal
        /// The product of the layer and what is below: darkens (shading).
        case multiply
        /// One minus the product of the complements: lightens.
        case screen
    }

    public let name: String
    public let image: RGBAImage
    public let composite: Composite
    public let isVisible: Bool

    public init(name: String, image: RGBAImage, composite: Composite = .normal, isVisible: Bool = true) {
        (self.name, self.image, self.composite, self.isVisible) = (name, image, composite, isVisible)
    }
}
