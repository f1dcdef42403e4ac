import Contracts
import Foundation
import NotificationService
import Testing
import WorkerKit

/// Each schema's Swift type, as a round trip: decode bytes, re-encode to JSON. Every schema must
/// have one (test `everySchemaHasASwiftType`), so a message type cannot lack its Codable type.
let swiftTypes: [String: @Sendable (Data) throws -> JSONValue] = {
    var types: [String: @Sendable (Data) throws -> JSONValue] = [
        "money": roundTrip(Money.self),
        "error": roundTrip(ErrorBody.self),
        "reply": roundTrip(Reply.self),
        "order.placed": roundTrip(OrderPlaced.self),
        "order.status_changed": roundTrip(OrderStatusChanged.self),
        "order.attributed": roundTrip(OrderAttributed.self),
        "client.merged": roundTrip(ClientMerged.self),
        "client.merge_refused": roundTrip(ClientMergeRefused.self),
        "client.create": roundTrip(ClientCreate.self),
        "client.update": roundTrip(ClientUpdate.self),
        "client.get": roundTrip(ClientRef.self),
        "client.delete": roundTrip(ClientRef.self),
        "client.restore": roundTrip(ClientRef.self),
        "client.history": roundTrip(ClientHistoryQuery.self),
        "client.history.result": roundTrip(ClientHistoryResult.self),
        "client.card": roundTrip(ClientCard.self),
        "client.merge": roundTrip(ClientMerge.self),
        "client.address.add": roundTrip(ClientAddressEdit.self),
        "client.address.update": roundTrip(ClientAddressEdit.self),
        "client.address.remove": roundTrip(ClientAddressEdit.self),
        "client.company.add": roundTrip(ClientCompanyEdit.self),
        "client.company.update": roundTrip(ClientCompanyEdit.self),
        "client.company.remove": roundTrip(ClientCompanyEdit.self),
        "client.unmerge": roundTrip(ClientUnmerge.self),
        "client.search": roundTrip(ClientSearch.self),
        "client.search.result": roundTrip(ClientSearchResult.self),
        "client.created": roundTrip(ClientChanged.self),
        "client.updated": roundTrip(ClientChanged.self),
        "client.deleted": roundTrip(ClientLifecycle.self),
        "client.restored": roundTrip(ClientLifecycle.self),
        "client.unmerged": roundTrip(ClientUnmerged.self),
        "reliability.get": roundTrip(ReliabilityGet.self),
        "reliability.rating": roundTrip(ReliabilityRating.self),
        "reliability.check": roundTrip(ReliabilityCheck.self),
        "reliability.check.result": roundTrip(ReliabilityCheckResult.self),
        "reliability.checked": roundTrip(ReliabilityChecked.self),
        "reliability.connection.test": roundTrip(ReliabilityConnectionTest.self),
        "reliability.check.completed": roundTrip(ReliabilityCheckCompleted.self),
        "reliability.connection.test.completed": roundTrip(ReliabilityConnectionTestCompleted.self),
        "reliability.connection.result": roundTrip(ReliabilityConnectionResult.self),
        "reliability.settings": roundTrip(ReliabilitySettingsView.self),
        "reliability.settings.get": roundTrip(ReliabilitySettingsGet.self),
        "reliability.settings.update": roundTrip(ReliabilitySettingsUpdate.self),
        "service_status.result": roundTrip(ServiceStatus.self),
        "outbox_parked.result": roundTrip(OutboxParkedList.self),
        // Not a message: the policy file, read by `AccessPolicy.parse` and written by `document`.
        "access-policy": { data in try AccessPolicy.parse(data).document },
        "store.upsert": roundTrip(StoreUpsert.self),
        "store.get": roundTrip(StoreGet.self),
        "store.list": roundTrip(StoreList.self),
        "store.list.result": roundTrip(StoreListResult.self),
        "store.card": roundTrip(StoreCard.self),
        "store.updated": roundTrip(StoreCard.self),
        "notification.send": roundTrip(NotificationSend.self),
        "notification.send.result": roundTrip(NotificationSendResult.self),
        "notification.delivered": roundTrip(NotificationOutcome.self),
        "notification.failed": roundTrip(NotificationOutcome.self),
        "billing.account.blocked": roundTrip(BillingAccountBlocking.self),
        "billing.account.unblocked": roundTrip(BillingAccountBlocking.self),
        "billing.invoice.issued": roundTrip(BillingInvoiceIssued.self),
        // billing's personal terms, offers and documents.
        "billing.discount": roundTrip(BillingDiscount.self),
        "billing.discount.add": roundTrip(BillingDiscountEdit.self),
        "billing.discount.update": roundTrip(BillingDiscountEdit.self),
        "billing.discount.remove": roundTrip(BillingDiscountRemove.self),
        "billing.discount.list": roundTrip(BillingTermsList.self),
        "billing.discount.list.result": roundTrip(BillingDiscountListResult.self),
        "billing.rate": roundTrip(BillingRate.self),
        "billing.rate.add": roundTrip(BillingRateEdit.self),
        "billing.rate.update": roundTrip(BillingRateEdit.self),
        "billing.rate.remove": roundTrip(BillingRateRemove.self),
        "billing.rate.list": roundTrip(BillingTermsList.self),
        "billing.rate.list.result": roundTrip(BillingRateListResult.self),
        "billing.tax_rule": roundTrip(BillingTaxRule.self),
        "billing.tax_rule.add": roundTrip(BillingTaxRuleEdit.self),
        "billing.tax_rule.update": roundTrip(BillingTaxRuleEdit.self),
        "billing.tax_rule.remove": roundTrip(BillingTaxRuleRemove.self),
        "billing.tax_rule.list": roundTrip(BillingTermsList.self),
        "billing.tax_rule.list.result": roundTrip(BillingTaxRuleListResult.self),
        "billing.offer": roundTrip(BillingOffer.self),
        "billing.offer.create": roundTrip(BillingOfferCreate.self),
        "billing.offer.accept": roundTrip(BillingOfferAction.self),
        "billing.offer.reject": roundTrip(BillingOfferAction.self),
        "billing.offer.pay": roundTrip(BillingOfferAction.self),
        "billing.offer.list": roundTrip(BillingOfferList.self),
        "billing.offer.list.result": roundTrip(BillingOfferListResult.self),
        "billing.offer.render": roundTrip(BillingDocumentRender.self),
        "billing.invoice.render": roundTrip(BillingDocumentRender.self),
        "billing.document": roundTrip(BillingDocument.self),
        "billing.invoice.send": roundTrip(BillingInvoiceSend.self),
        "billing.invoice.sent": roundTrip(BillingInvoiceSent.self),
        "dedupe.run.completed": roundTrip(DedupeRunCompleted.self),
        "client.tie_recorded": roundTrip(ClientTieRecorded.self),
        "dedupe.settings.get": roundTrip(DedupeSettingsGet.self),
        "dedupe.settings.update": roundTrip(DedupeSettingsUpdate.self),
        "dedupe.settings": roundTrip(DedupeSettingsView.self),
        "dedupe.analyze": roundTrip(DedupeAnalyze.self),
        "dedupe.job.get": roundTrip(DedupeJobRef.self),
        "dedupe.job.cancel": roundTrip(DedupeJobRef.self),
        "dedupe.job": roundTrip(DedupeJobView.self),
        "dedupe.job.progress": roundTrip(DedupeJobProgress.self),
        "dedupe.report": roundTrip(DedupeReportQuery.self),
        "dedupe.report.result": roundTrip(DedupeReportResult.self),
        "dedupe.merge": roundTrip(DedupeMerge.self),
        "dedupe.run": roundTrip(DedupeRunView.self),
        "dedupe.log": roundTrip(DedupeLogQuery.self),
        "dedupe.log.result": roundTrip(DedupeLogResult.self),
        "dedupe.unmerge": roundTrip(DedupeUnmerge.self),
        "dedupe.index.rebuild": roundTrip(DedupeIndexRebuild.self),
        "client.export": roundTrip(ClientExport.self),
        "client.export.result": roundTrip(ClientExportResult.self),
        "client.note.add": roundTrip(ClientNoteAdd.self),
        // billing-service: accounts, ledger, services.
        "billing.provider.upsert": roundTrip(BillingProviderUpsert.self),
        "billing.provider.get": roundTrip(BillingProviderRef.self),
        "billing.provider.list": roundTrip(BillingProviderList.self),
        "billing.provider": roundTrip(BillingProvider.self),
        "billing.provider.list.result": roundTrip(BillingProviderListResult.self),
        "billing.account.open": roundTrip(BillingAccountOpen.self),
        "billing.account.update": roundTrip(BillingAccountUpdate.self),
        "billing.account.get": roundTrip(BillingAccountRef.self),
        "billing.account.history": roundTrip(BillingAccountRef.self),
        "billing.account.list": roundTrip(BillingAccountList.self),
        "billing.account": roundTrip(BillingAccount.self),
        "billing.account.list.result": roundTrip(BillingAccountListResult.self),
        "billing.account.history.result": roundTrip(BillingHistoryResult.self),
        "billing.payment.history.result": roundTrip(BillingHistoryResult.self),
        "billing.expense.create": roundTrip(BillingExpenseCreate.self),
        "billing.expense.update": roundTrip(BillingExpenseUpdate.self),
        "billing.expense.delete": roundTrip(BillingExpenseRef.self),
        "billing.expense": roundTrip(BillingExpense.self),
        "billing.promotion": roundTrip(BillingPromotion.self),
        "billing.payment.create": roundTrip(BillingPaymentCreate.self),
        "billing.payment.update": roundTrip(BillingPaymentUpdate.self),
        "billing.payment.delete": roundTrip(BillingPaymentRef.self),
        "billing.payment.credit": roundTrip(BillingPaymentRef.self),
        "billing.payment.allocation": roundTrip(BillingPaymentRef.self),
        "billing.payment.history": roundTrip(BillingPaymentRef.self),
        "billing.payment": roundTrip(BillingPayment.self),
        "billing.payment.allocation.result": roundTrip(BillingAllocationResult.self),
        "billing.withdrawal.create": roundTrip(BillingWithdrawalCreate.self),
        "billing.withdrawal": roundTrip(BillingWithdrawal.self),
        "billing.service.add": roundTrip(BillingServiceAdd.self),
        "billing.service.update": roundTrip(BillingServiceUpdate.self),
        "billing.service.list": roundTrip(BillingServiceList.self),
        "billing.service": roundTrip(BillingServiceView.self),
        "billing.service.list.result": roundTrip(BillingServiceListResult.self),
        "billing.overdue.check": roundTrip(BillingOverdueCheck.self),
        "billing.overdue.check.result": roundTrip(BillingOverdueCheckResult.self),
        "client.activation_requested": roundTrip(ClientAccessRequested.self),
        "client.password_reset_requested": roundTrip(ClientAccessRequested.self),
        "notification.settings.get": roundTrip(NotificationSettingsGet.self),
        "notification.settings.update": roundTrip(NotificationSettingsUpdate.self),
        "notification.settings": roundTrip(NotificationSettingsView.self),
        "notification.template.upsert": roundTrip(NotificationTemplateUpsert.self),
        "notification.template.get": roundTrip(NotificationTemplateGet.self),
        "notification.template": roundTrip(NotificationTemplateView.self),
        "notification.template.list": roundTrip(NotificationTemplateList.self),
        "notification.template.list.result": roundTrip(NotificationTemplateListResult.self),
        "notification.template.render": roundTrip(NotificationTemplateRender.self),
        "notification.template.rendered": roundTrip(NotificationRendered.self),
        "notification.deliveries": roundTrip(NotificationDeliveriesQuery.self),
        "notification.deliveries.result": roundTrip(NotificationDeliveriesResult.self),
        "notification.sms.completed": roundTrip(SMSSendCompleted.self),
        "notification.email.completed": roundTrip(EmailSendCompleted.self),
        "notification.webhook": roundTrip(NotificationWebhook.self),
        "notification.webhook.add": roundTrip(NotificationWebhookAdd.self),
        "notification.webhook.add.result": roundTrip(NotificationWebhookAdded.self),
        "notification.webhook.remove": roundTrip(NotificationWebhookRemove.self),
        "notification.webhook.remove.result": roundTrip(NotificationWebhookRemoved.self),
        "notification.webhook.list": roundTrip(NotificationWebhookList.self),
        "notification.webhook.list.result": roundTrip(NotificationWebhookListResult.self),
        "notification.webhook.completed": roundTrip(NotificationWebhookCompleted.self),
    ]
    for service in ServiceName.allCases { types[service.statusType] = roundTrip(ServiceStatusQuery.self) }
    for service in ServiceName.allCases { types[service.outboxParkedType] = roundTrip(OutboxParkedQuery.self) }
    return types
}()

/// Decodes with the messages' decoder, re-encodes with their encoder, and checks that decoding
/// the result gives the same value back (nothing lost on the way out).
private func roundTrip<T: Codable & Equatable & SendableMetatype>(_: T.Type) -> @Sendable (Data) throws -> JSONValue {
    { data in
        let value = try JSONCoding.decoder.decode(T.self, from: data)
        // Handlers decode from the parsed value: it must read every message as the bytes read.
        guard try JSONValueDecoder().decode(T.self, from: JSONValue.parse(data)) == value else {
            throw PythonJSONSchema.Failure(description: "\(T.self) reads differently from its parsed value")
        }
        let encoded = try JSONCoding.encoder.encode(value)
        let again = try JSONCoding.decoder.decode(T.self, from: encoded)
        guard again == value else { throw PythonJSONSchema.Failure(description: "\(T.self) changed in a round trip") }
        return try JSONValue.parse(encoded)
    }
}

@Suite struct ExampleTests {
    @Test(arguments: try Repository.exampleTypes())
    func exampleIsValidAndRoundTrips(type: String) throws {
        let example = try Repository.example(type)
        #expect(try Schemas.load().validate(example, type: type) == [])

        let roundTrip = try #require(swiftTypes[type], "no Swift type for \(type)")
        let reencoded = try roundTrip(try Repository.exampleData(type))
        #expect(try Schemas.load().validate(reencoded, type: type) == [])

        let verdicts = try PythonJSONSchema.validate([example, reencoded], schema: "\(type).schema.json")
        #expect(verdicts[0].valid, "example: \(verdicts[0].errors)")
        #expect(verdicts[1].valid, "re-encoded \(reencoded): \(verdicts[1].errors)")
    }

    @Test func everyMessageSchemaHasAnExample() throws {
        let examples = Set(try Repository.exampleTypes())
        let fragments = try referencedDocuments()
        #expect(fragments.contains("money.schema.json"), "money is shared by $ref")
        for file in try Repository.schemaFiles() where !fragments.contains(file) {
            let type = String(file.dropLast(".schema.json".count))
            #expect(examples.contains(type), "schemas/examples/\(type).json is missing")
        }
    }

    @Test func everyExampleHasASchema() throws {
        let schemas = Set(try Repository.schemaFiles())
        for type in try Repository.exampleTypes() {
            #expect(schemas.contains("\(type).schema.json"), "example \(type).json has no schema")
        }
    }

    @Test func everySchemaHasASwiftType() throws {
        let types = try Schemas.load().types
        #expect(types.count == (try Repository.schemaFiles()).count)
        for type in types {
            #expect(swiftTypes[type] != nil, "no Swift type for \(type): add it to swiftTypes in ExampleTests.swift")
        }
    }

    @Test func everySchemaIsValidAgainstTheMetaschema() throws {
        let verdicts = try PythonJSONSchema.checkSchemas()
        #expect(verdicts.map(\.schema) == (try Repository.schemaFiles()))
        for verdict in verdicts {
            #expect(verdict.valid, "\(verdict.schema): \(verdict.errors)")
        }
    }

    @Test func everySchemaIDIsItsFileName() throws {
        for file in try Repository.schemaFiles() {
            let schema = try JSONValue.parse(Data(contentsOf: Repository.schemas.appendingPathComponent(file)))
            #expect(schema["$id"] == .string(file))
            #expect(schema["$schema"] == .string("https://json-schema.org/draft/2020-12/schema"))
        }
    }

    /// Documents that other schemas `$ref` by name: shared fragments such as money.
    private func referencedDocuments() throws -> Set<String> {
        var found: Set<String> = []
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let fields):
                if case .string(let ref)? = fields["$ref"], !ref.hasPrefix("#") {
                    found.insert(String(ref.prefix { $0 != "#" }))
                }
                fields.values.forEach(walk)
            case .array(let elements): elements.forEach(walk)
            default: break
            }
        }
        for file in try Repository.schemaFiles() {
            walk(try JSONValue.parse(Data(contentsOf: Repository.schemas.appendingPathComponent(file))))
        }
        return found
    }
}
