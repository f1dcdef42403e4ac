import Contracts
import Foundation
import HTTPClient
import SQLStore
import WorkerKit

/// Posts one event to one endpoint for the effect runner (effect `notification.webhook`): reads
/// the delivery's body and the endpoint's sealed secret when the call is made (no effect row holds
/// a secret or a copy of the body), signs the attempt with its own timestamp, and says what the
/// answer means. The runner checks the address, keeps the circuit per host and retries faults
/// with backoff and jitter up to the store's attempts.
public struct WebhookPerformer: EffectPerformer {
    public static let kind = "notification.webhook"
    /// A receiver has this long to answer; a slow one holds only its own call (the runner's slots).
    static let timeout: Duration = .seconds(10)

    let http: CurlHTTPClient
    let secrets: SecretBox

    public init(http: CurlHTTPClient = CurlHTTPClient(), secrets: SecretBox) {
        self.http = http
        self.secrets = secrets
    }

    public func prepare(_ effect: PendingEffect, _ db: SQLDatabase) throws -> EffectCall {
        let call = try JSONCoding.decoder.decode(NotificationWebhookCall.self, from: effect.payload)
        guard let row = try db.row("""
            SELECT w.url, w.secret_sealed, d.body FROM notification_webhook_delivery d
            JOIN notification_webhook w ON w.webhook_id = d.webhook_id
            WHERE d.delivery_id = ? AND w.store_id = ?
            """, [call.deliveryID, call.storeID]) else {
            throw EffectFailure("the webhook was removed")
        }
        let secret: String
        do {
            secret = try secrets.open(row["secret_sealed"], context: WebhookSignature.sealContext(storeID: call.storeID,
                                                                                                  webhookID: call.webhookID))
        } catch {
            throw EffectFailure("the webhook's stored secret cannot be opened with this key")
        }
        let body = Data((row["body"] as String).utf8)
        let http = self.http
        return EffectCall(url: row["url"]) { target in
            let headers = WebhookSignature.headers(secret: secret, eventID: call.eventID, eventType: call.eventType,
                                                   body: body, at: Date())
            var request = HTTPRequest.postJSON(url: target.url, json: body, headers: headers, timeout: Self.timeout)
            request.resolve = target.curlResolve
            do throws(HTTPClientError) {
                return Self.interpret(.success(try http.perform(request)))
            } catch {
                return Self.interpret(.failure(error))
            }
        }
    }

    /// 2xx: delivered; 5xx, 429, timeouts and failed connections: a fault, tried again; any other
    /// status (4xx, and 3xx: redirects are not followed, the new address was never checked): a
    /// final answer the completion records as failed.
    static func interpret(_ outcome: Result<HTTPResponse, HTTPClientError>) -> EffectAttempt {
        switch outcome {
        case .success(let response) where response.status >= 500 || response.status == 429:
            return .fault("the receiver answered HTTP \(response.status)")
        case .success(let response):
            return .answered((try? JSONValue.encoding(NotificationWebhookResponse(httpStatus: response.status))) ?? .null)
        case .failure(.timeout):
            return .fault("the receiver did not answer in time")
        case .failure(.connectionFailed):
            return .fault("cannot reach the receiver")
        case .failure(.tooLarge):
            return .fault("the receiver answered too much")
        case .failure(.invalidRequest):
            return .fault("the request could not be made")
        case .failure(.other):
            return .fault("the receiver gave no usable answer")
        }
    }
}
