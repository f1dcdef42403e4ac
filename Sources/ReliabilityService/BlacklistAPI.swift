import Contracts
import Foundation
import HTTPClient

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
        case unauthorized(Int)
        case fault(String)
    }

    static func checkRequest(_ credentials: Credentials, phone: String) -> HTTPRequest {
        request(credentials, path: "/v11/recipient", fields: ["phone": phone])
    }

    static func pingRequest(_ credentials: Credentials) -> HTTPRequest {
        request(credentials, path: "/v11/ping", fields: [:])
    }

    private static func request(_ c: Credentials, path: String, fields: [String: String]) -> HTTPRequest {
        let body = fields.merging(["partner_code": c.partnerCode, "signature": c.signature]) { a, _ in a }
        let json = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        let base = c.baseURL.hasSuffix("/") ? String(c.baseURL.dropLast()) : c.baseURL
        return .postJSON(url: base + path, json: json, timeout: c.timeout)
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

    static func describe(_ error: HTTPClientError) -> String {
        switch error {
        case .timeout: return "the service did not answer in time"
        case .connectionFailed(let why): return "cannot reach the service: \(why)"
        case .tooLarge: return "the service answered too much"
        case .invalidRequest(let why): return "the request could not be made: \(why)"
        case .other(_, let message): return "the call failed: \(message)"
        }
    }
}
