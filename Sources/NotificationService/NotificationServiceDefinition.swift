import Contracts
import GRDB
import HTTPClient
import SQLStore
import WorkerKit

/// notification-service: e-mail and SMS from templates, with a delivery log. The runtime adds the
/// `notification-service.status` query, the inbox and outbox, and the broker topology.
public struct NotificationServiceDefinition: WorkerDefinition {
    let settings: NotificationSettingsHandlers
    let templates: TemplateHandlers
    let sends: SendHandlers
    let autoSends: AutoSends
    let sms: SMSPerformer
    let email: EmailPerformer
    let webhooks: NotificationWebhooks
    let retention: DeliveryRetention

    /// `secrets` seals the SMTP passwords, SMS tokens and webhook signing secrets
    /// (`CRM_SECRET_KEY`); `outbound` is the worker's `config.outbound`; `catalog`, the built-in
    /// templates (`templates/`); `retention`, how long ended deliveries are kept
    /// (`DeliveryRetention.fromEnvironment()`: `CRM_NOTIFICATION_RETENTION_DAYS`, default 90 days).
    public init(secrets: SecretBox, outbound: OutboundPolicy, catalog: TemplateCatalog,
                http: CurlHTTPClient = CurlHTTPClient(), retention: Duration = .seconds(DeliveryRetention.defaultDays * 86_400)) {
        let store = TemplateStore(catalog: catalog)
        let dispatcher = Dispatcher(templates: store)
        settings = NotificationSettingsHandlers(secrets: secrets, outbound: outbound)
        templates = TemplateHandlers(templates: store)
        sends = SendHandlers(dispatcher: dispatcher)
        autoSends = AutoSends(dispatcher: dispatcher)
        sms = SMSPerformer(http: http, secrets: secrets)
        email = EmailPerformer(secrets: secrets)
        webhooks = NotificationWebhooks(secrets: secrets, outbound: outbound, http: http)
        self.retention = DeliveryRetention(keep: retention)
    }

    public var name: ServiceName { .notification }

    public func registerMigrations(_ migrator: inout DatabaseMigrator) {
        NotificationMigrations.register(&migrator)
        NotificationWebhookMigrations.sqlite(&migrator)
        NotificationMigrations.registerAfterWebhooks(&migrator)
    }

    public var postgresMigrations: [SQLMigrationStep] {
        NotificationPostgresMigrations.steps + NotificationWebhookMigrations.postgres + NotificationPostgresMigrations.afterWebhooks
    }

    public func registerHandlers(_ registry: inout HandlerRegistry) {
        registry.command("notification.send", NotificationSend.self, handle: sends.send)
        registry.query("notification.deliveries", NotificationDeliveriesQuery.self, handle: sends.deliveries)
        registry.query("notification.settings.get", NotificationSettingsGet.self, handle: settings.get)
        registry.command("notification.settings.update", NotificationSettingsUpdate.self, handle: settings.update)
        registry.command("notification.template.upsert", NotificationTemplateUpsert.self, handle: templates.upsert)
        registry.query("notification.template.get", NotificationTemplateGet.self, handle: templates.get)
        registry.query("notification.template.list", NotificationTemplateList.self, handle: templates.list)
        registry.query("notification.template.render", NotificationTemplateRender.self, handle: templates.render)
        // The channels' results, from the effect runner (only this service may send them).
        registry.event("notification.email.completed", EmailSendCompleted.self, handle: DeliveryResults.email)
        registry.event("notification.sms.completed", SMSSendCompleted.self, handle: DeliveryResults.sms)
        // The copy of the client cards, and the automatic sends.
        registry.event("client.created", ClientChanged.self, handle: autoSends.clientCreated)
        registry.event("client.updated", ClientChanged.self) { db, event, _ in try ClientCopy.changed(db, event) }
        registry.event("client.deleted", ClientLifecycle.self) { db, event, _ in try ClientCopy.lifecycle(db, event, deleted: true) }
        registry.event("client.restored", ClientLifecycle.self) { db, event, _ in try ClientCopy.lifecycle(db, event, deleted: false) }
        registry.event("client.merged", ClientMerged.self, handle: ClientCopy.merged)
        registry.event("client.unmerged", ClientUnmerged.self, handle: ClientCopy.unmerged)
        registry.event("reliability.checked", ReliabilityChecked.self, handle: autoSends.reliabilityChecked)
        // No service publishes these two yet: the queue is bound and waits.
        registry.event("client.activation_requested", ClientAccessRequested.self) { [autoSends] db, event, context in
            try autoSends.accessRequested("activation", db, event, context)
        }
        registry.event("client.password_reset_requested", ClientAccessRequested.self) { [autoSends] db, event, context in
            try autoSends.accessRequested("password_reset", db, event, context)
        }
        registry.event("billing.invoice.issued", BillingInvoiceIssued.self, handle: autoSends.invoiceIssued)
        registry.event("billing.account.blocked", BillingAccountBlocking.self, handle: autoSends.accountBlocked)
        registry.event("dedupe.run.completed", DedupeRunCompleted.self, handle: autoSends.dedupeRunCompleted)
        // Last: its event handlers follow the others of the same type (`alsoOnEvent`); an `event(...)`
        // registered after them would replace them.
        webhooks.registerHandlers(&registry)
    }

    /// The delivery log's retention (`DeliveryRetention`), traffic or not.
    public var timers: [WorkerTimer] { [retention.timer] }

    public func registerEffects(_ effects: inout EffectRegistry) {
        effects.register(NotificationEffects.smsKind, sms)
        effects.register(EmailPerformer.kind, email)
        webhooks.registerEffects(&effects)
    }
}
