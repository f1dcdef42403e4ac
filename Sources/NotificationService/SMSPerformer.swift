import Contracts
import Foundation
import HTTPClient
import SQLStore
import WorkerKit

/// Sends an SMS for the effect runner (effect `notification.sms`): reads the store's gateway
/// settings and opens the sealed token only when it calls. The runner checks the address, keeps
/// the circuit per host and retries faults with backoff up to the store's `max_attempts`.
public struct SMSPerformer: EffectPerformer {
    let http: CurlHTTPClient
    let secrets: SecretBox

    public init(http: CurlHTTPClient = CurlHTTPClient(), secrets: SecretBox) {
        self.http = http
        self.secrets = secrets
    }

    public func prepare(_ effect: PendingEffect, _ db: SQLDatabase) throws -> EffectCall {
        let sms = try JSONCoding.decoder.decode(SMSSend.self, from: effect.payload)
        let settings: NotificationSettings
        do {
            settings = try NotificationSettings.load(db, storeID: sms.storeID, secrets: secrets)
        } catch is ErrorBody {
            throw EffectFailure("the stored SMS token cannot be opened with this key")
        }
        guard let url = settings.smsURL, let token = settings.smsToken else {
            throw EffectFailure("the SMS gateway is not configured for the store")
        }
        let credentials = SMSGateway.Credentials(url: url, token: token, sender: settings.smsSender)
        let http = self.http
        return EffectCall(url: url) { target in
            SMSGateway.interpret(Self.outcome(http, SMSGateway.request(credentials, sms, target: target)))
        }
    }

    private static func outcome(_ http: CurlHTTPClient, _ request: HTTPRequest) -> Result<HTTPResponse, HTTPClientError> {
        do { return .success(try http.perform(request)) } catch { return .failure(error) }
    }
}
