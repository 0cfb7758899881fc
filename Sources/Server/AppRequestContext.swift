import Hummingbird

/// The request context every Tinct route uses. One alias, so that moving to a richer context
/// (for WebSocket upgrades, say) is a one-line change.
typealias AppRequestContext = BasicRequestContext
