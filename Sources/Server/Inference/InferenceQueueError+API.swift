extension InferenceQueueError {
    /// What a client hears when the inference queue refuses a job: 503 with Retry-After.
    var apiError: APIError {
        switch self {
        case .busy: APIError.busy
        case .stopped: APIError(.serviceUnavailable, "The server is shutting down.", retryAfter: 1)
        }
    }
}
