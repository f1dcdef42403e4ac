import Contracts
import Foundation
import HTTPClient
import WorkerKit

/// The SMS gateway's API, in one place: what a send looks like on the wire and what its answers
/// mean. A gateway with another shape needs only this file changed.
///
/// Request: `POST <sms_url>` with `Authorization: Bearer <token>` and the JSON
/// `{"to": "+79123456789", "from": "<sms_sender>", "text": "…", "reference": "<delivery id>"}`.
/// Answers: 2xx (`{"id": "…"}` optional) sent; 429 and 5xx, a timeout or no connection: a fault,
/// tried again; any other 4xx (a wrong token, a number it refuses): refused, not tried again.
enum SMSGateway {
    static let maxLength = 1000
    static let timeout: Duration = .seconds(10)

    struct Credentials: Sendable {
        var url: String
        var token: String
        var sender: String?
    }

    static func request(_ c: Credentials, _ sms: SMSSend, target: OutboundTarget) -> HTTPRequest {
        var fields: [String: JSONValue] = ["to": .string(sms.to), "text": .string(sms.text), "reference": .string(sms.deliveryID)]
        if let sender = c.sender { fields["from"] = .string(sender) }
        let body = (try? JSONCoding.encoder.encode(JSONValue.object(fields))) ?? Data()
        var request = HTTPRequest.postJSON(url: target.url, json: body, headers: ["Authorization": "Bearer \(c.token)"],
                                           timeout: timeout)
        request.resolve = target.curlResolve
        return request
    }

    static func interpret(_ outcome: Result<HTTPResponse, HTTPClientError>) -> EffectAttempt {
        switch outcome {
        case .failure(let error): return .fault(describe(error))
        case .success(let response):
            switch response.status {
            case 200..<300:
                let id = (try? JSONValue.parse(response.body))?["id"]?.stringValue
                return .answered(encode(SMSSent(kind: .sent, messageID: id)))
            case 429, 500...: return .fault("the SMS gateway answered HTTP \(response.status)")
            case 400..<500: return .answered(encode(SMSSent(kind: .refused, httpStatus: response.status)))
            default: return .fault("the SMS gateway answered HTTP \(response.status)")
            }
        }
    }

    static func describe(_ error: HTTPClientError) -> String {
        switch error {
        case .timeout: return "the SMS gateway did not answer in time"
        case .connectionFailed: return "cannot reach the SMS gateway"
        case .tooLarge: return "the SMS gateway answered too much"
        case .invalidRequest: return "the request could not be made"
        case .other: return "the SMS gateway gave no usable answer"
        }
    }

    private static func encode(_ answer: SMSSent) -> JSONValue { (try? JSONValue.encoding(answer)) ?? .null }
}
