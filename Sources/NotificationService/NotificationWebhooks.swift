import Contracts
import HTTPClient
import WorkerKit

/// The webhook part of notification-service, for its definition to register: the registry
/// commands, the events posted to endpoints, the effect that posts and its completion.
public struct NotificationWebhooks: Sendable {
    let registry: WebhookRegistry
    let performer: WebhookPerformer

    /// `secrets` seals the endpoints' signing secrets (`CRM_SECRET_KEY`); `outbound` is the
    /// worker's `config.outbound`: an endpoint it would refuse is refused when added.
    public init(secrets: SecretBox, outbound: OutboundPolicy, http: CurlHTTPClient = CurlHTTPClient()) {
        registry = WebhookRegistry(secrets: secrets, outbound: outbound)
        performer = WebhookPerformer(http: http, secrets: secrets)
    }

    public func registerHandlers(_ handlers: inout HandlerRegistry) {
        handlers.command("notification.webhook.add", NotificationWebhookAdd.self, handle: registry.add)
        handlers.command("notification.webhook.remove", NotificationWebhookRemove.self, handle: registry.remove)
        handlers.query("notification.webhook.list", NotificationWebhookList.self, handle: registry.list)
        handlers.event(EffectRegistry.completionType(of: WebhookPerformer.kind), NotificationWebhookCompleted.self,
                       handle: WebhookResults.completed)
        // Added to whatever else handles these events (the service's copy of the cards, its automatic sends).
        for type in WebhookFanout.deliverableTypes {
            handlers.alsoOnEvent(type, JSONValue.self, handle: WebhookFanout.deliver)
        }
    }

    public func registerEffects(_ effects: inout EffectRegistry) {
        effects.register(WebhookPerformer.kind, performer)
    }
}
