import Contracts
import Foundation
import HTTPClient

/// Calls the blacklist service through libcurl, behind a circuit breaker. Blocking: it runs on
/// the worker's consumer thread inside the handler, bounded by the store's timeout, and the open
/// circuit keeps a failing service from holding the queue.
public final class ExternalChecker: Sendable {
    let http: CurlHTTPClient
    let breaker: CircuitBreaker

    public init(http: CurlHTTPClient = CurlHTTPClient(), failureThreshold: Int = 5, coolDown: Duration = .seconds(30)) {
        self.http = http
        breaker = CircuitBreaker(threshold: failureThreshold, coolDown: coolDown)
    }

    /// The service's answer for a phone, or `.fault` with the reason (also when the circuit is open).
    func check(_ credentials: BlacklistAPI.Credentials, phone: String) -> BlacklistAPI.Answer {
        call(credentials, BlacklistAPI.checkRequest(credentials, phone: phone), interpret: BlacklistAPI.interpretCheck)
    }

    /// `.status(.trusted)` stands for "connected" here: any 200 answer to the ping.
    func ping(_ credentials: BlacklistAPI.Credentials) -> BlacklistAPI.Answer {
        call(credentials, BlacklistAPI.pingRequest(credentials)) { outcome in
            switch outcome {
            case .success(let r) where r.status == 200: return .status(.trusted)
            case .success(let r) where r.status == 401 || r.status == 403: return .unauthorized(r.status)
            case .success(let r): return .fault("the service answered HTTP \(r.status)")
            case .failure(let error): return .fault(BlacklistAPI.describe(error))
            }
        }
    }

    private func call(_ credentials: BlacklistAPI.Credentials, _ request: HTTPRequest,
                      interpret: (Result<HTTPResponse, HTTPClientError>) -> BlacklistAPI.Answer) -> BlacklistAPI.Answer {
        let key = credentials.baseURL
        if let wait = breaker.permit(key) {
            let seconds = Int((Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18).rounded(.up))
            return .fault("the service failed repeatedly; calls are paused for \(seconds) s more (circuit open)")
        }
        let answer: BlacklistAPI.Answer
        do {
            answer = interpret(.success(try http.perform(request)))
        } catch {
            answer = interpret(.failure(error))
        }
        if case .fault = answer { breaker.recordFailure(key) } else { breaker.recordSuccess(key) }
        return answer
    }
}
