import Contracts
import Foundation
import SQLStore
import HTTPClient
import WorkerKit

/// Calls the blacklist provider for the effect runner (effects `reliability.check` and
/// `reliability.connection.test`): reads the store's settings and opens the sealed signature only
/// when the call is made, so no effect row holds it in clear. The runner checks the address,
/// keeps the circuit per host and retries faults; here is only what a call and its answer are.
public struct BlacklistPerformer: EffectPerformer {
    public static let checkKind = "reliability.check"
    public static let connectionTestKind = "reliability.connection.test"

    let http: CurlHTTPClient
    let secrets: SecretBox

    public init(http: CurlHTTPClient = CurlHTTPClient(), secrets: SecretBox) {
        self.http = http
        self.secrets = secrets
    }

    public func prepare(_ effect: PendingEffect, _ db: SQLDatabase) throws -> EffectCall {
        switch effect.kind {
        case Self.checkKind:
            let call = try JSONCoding.decoder.decode(ReliabilityCheckCall.self, from: effect.payload)
            let settings = try load(db, storeID: call.storeID)
            guard settings.activate, let credentials = settings.credentials else {
                throw EffectFailure("the external check is not activated for the store")
            }
            return EffectCall(url: BlacklistAPI.url(credentials, path: BlacklistAPI.checkPath)) { target in
                Self.attempt(BlacklistAPI.interpretCheck(outcome(BlacklistAPI.checkRequest(credentials, phone: call.phone, target: target))))
            }
        case Self.connectionTestKind:
            let call = try JSONCoding.decoder.decode(ReliabilityConnectionCall.self, from: effect.payload)
            var settings = try load(db, storeID: call.storeID)
            if let v = call.partnerCode { settings.partnerCode = v }
            if let v = call.baseURL { settings.baseURL = v }
            if let sealed = effect.secretSealed {
                guard let opened = try? secrets.open(sealed, context: effect.secretContext) else {
                    throw EffectFailure("the signature given for the test cannot be opened")
                }
                settings.signature = opened
            }
            guard let credentials = settings.credentials else { throw EffectFailure("the partner code, signature or base_url is missing") }
            return EffectCall(url: BlacklistAPI.url(credentials, path: BlacklistAPI.pingPath)) { target in
                Self.attempt(BlacklistAPI.interpretPing(outcome(BlacklistAPI.pingRequest(credentials, target: target))))
            }
        default:
            throw EffectFailure("reliability-service performs no \(effect.kind)")
        }
    }

    private func load(_ db: SQLDatabase, storeID: String) throws -> ReliabilitySettings {
        do {
            return try ReliabilitySettings.load(db, storeID: storeID, secrets: secrets)
        } catch is ErrorBody {
            throw EffectFailure("the stored signature cannot be opened with this key")
        }
    }

    private func outcome(_ request: HTTPRequest) -> Result<HTTPResponse, HTTPClientError> {
        do { return .success(try http.perform(request)) } catch { return .failure(error) }
    }

    static func attempt(_ answer: BlacklistAPI.Answer) -> EffectAttempt {
        switch answer {
        case .status(let status): return .answered(encode(ProviderAnswer(kind: .status, status: status)))
        case .connected: return .answered(encode(ProviderAnswer(kind: .connected)))
        case .unauthorized(let code): return .answered(encode(ProviderAnswer(kind: .refused, httpStatus: code)))
        case .fault(let reason): return .fault(reason)
        }
    }

    private static func encode(_ answer: ProviderAnswer) -> JSONValue {
        (try? JSONValue.encoding(answer)) ?? .null
    }
}
