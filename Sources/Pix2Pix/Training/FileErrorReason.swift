import Foundation

/// A file error as a sentence for the user. Foundation's file errors say "The operation could
/// not be completed"; the system's own words ("No space left on device") are underneath.
enum FileErrorReason {
    static func sentence(for error: any Error) -> String {
        guard type(of: error) is NSError.Type else { return "\(error)" }
        let error = error as NSError
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return error.localizedDescription
    }
}
