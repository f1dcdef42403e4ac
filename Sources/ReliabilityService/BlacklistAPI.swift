import Contracts
import Foundation
import HTTPClient
import WorkerKit

/// The external blacklist service's API, as assumed until its documentation is public
/// (checkclient.ru-style). Everything about its shape is in this file, so that following the real
/// one later changes nothing else:
/// - check: `POST {base_url}/v11/recipient` `{"partner_code", "signature", "phone"}` →
///   `200 {"status": "trusted" | "neutral" | "no_trust" | "invalid_phone"}`;
/// - connection test: `POST {base_url}/v11/ping` `{"partner_code", "signature"}` → `200`;
/// - `401`/`403`: wrong credentials; any other status, a timeout or another body: a fault.
enum BlacklistAPI {
    struct Credentials: Sendable {
        var baseURL: String
        var partnerCode: String
        var signature: String
        var timeout: Duration
    }

    enum Answer: Equatable {
        case status(ExternalStatus)
        /// A 200 answer to the ping.
        case connected
        case unauthorized(Int)
        case fault(String)
    }

    static let checkPath = "/v11/recipient"
    static let pingPath = "/v11/ping"

    static func url(_ c: Credentials, path: String) -> String {
        (c.baseURL.hasSuffix("/") ? String(c.baseURL.dropLast()) : c.baseURL) + path
    }

    /// The check of a phone, to the checked `target` (its URL, pinned to its checked addresses).
    static func checkRequest(_ credentials: Credentials, phone: String, target: OutboundTarget) -> HTTPRequest {
        request(credentials, target: target, fields: ["phone": phone])
    }

    static func pingRequest(_ credentials: Credentials, target: OutboundTarget) -> HTTPRequest {
        request(credentials, target: target, fields: [:])
    }

    private static func request(_ c: Credentials, target: OutboundTarget, fields: [String: String]) -> HTTPRequest {
        let body = fields.merging(["partner_code": c.partnerCode, "signature": c.signature]) { a, _ in a }
        let json = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        var request = HTTPRequest.postJSON(url: target.url, json: json, timeout: c.timeout)
        request.resolve = target.curlResolve
        return request
    }

    static func interpretCheck(_ outcome: Result<HTTPResponse, HTTPClientError>) -> Answer {
        switch outcome {
        case .failure(let error):
            return .fault(describe(error))
        case .success(let response) where response.status == 401 || response.status == 403:
            return .unauthorized(response.status)
        case .success(let response) where response.status == 200:
            guard let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
                  let text = object["status"] as? String, let status = ExternalStatus(rawValue: text)
            else { return .fault("the service answered a body that is not the expected JSON") }
            return .status(status)
        case .success(let response):
            return .fault("the service answered HTTP \(response.status)")
        }
    }

    /// Our own short text: the transport's error text (addresses, library wording) is not shown.
    static func interpretPing(_ outcome: Result<HTTPResponse, HTTPClientError>) -> Answer {
        switch outcome {
        case .success(let r) where r.status == 200: return .connected
        case .success(let r) where r.status == 401 || r.status == 403: return .unauthorized(r.status)
        case .success(let r): return .fault("the service answered HTTP \(r.status)")
        case .failure(let error): return .fault(describe(error))
        }
    }

    static func describe(_ error: HTTPClientError) -> String {
        switch error {
        case .timeout: return "the service did not answer in time"
        case .connectionFailed: return "cannot reach the service"
        case .tooLarge: return "the service answered too much"
        case .invalidRequest: return "the request could not be made"
        case .other: return "the service gave no usable answer"
        }
    }
}
