import Contracts
import WorkerKit

/// The terms-and-documents part of billing-service, for its definition to register: personal
/// discounts, currency rates and tax rules, offers, invoices, and the client names documents print.
public struct BillingTerms: Sendable {
    public init() {}

    public func registerHandlers(_ registry: inout HandlerRegistry) {
        registry.command("billing.discount.add", BillingDiscountEdit.self, handle: DiscountHandlers.add)
        registry.command("billing.discount.update", BillingDiscountEdit.self, handle: DiscountHandlers.update)
        registry.command("billing.discount.remove", BillingDiscountRemove.self, handle: DiscountHandlers.remove)
        registry.query("billing.discount.list", BillingTermsList.self, handle: DiscountHandlers.list)
        registry.command("billing.rate.add", BillingRateEdit.self, handle: RateHandlers.add)
        registry.command("billing.rate.update", BillingRateEdit.self, handle: RateHandlers.update)
        registry.command("billing.rate.remove", BillingRateRemove.self, handle: RateHandlers.remove)
        registry.query("billing.rate.list", BillingTermsList.self, handle: RateHandlers.list)
        registry.command("billing.tax_rule.add", BillingTaxRuleEdit.self, handle: TaxRuleHandlers.add)
        registry.command("billing.tax_rule.update", BillingTaxRuleEdit.self, handle: TaxRuleHandlers.update)
        registry.command("billing.tax_rule.remove", BillingTaxRuleRemove.self, handle: TaxRuleHandlers.remove)
        registry.query("billing.tax_rule.list", BillingTermsList.self, handle: TaxRuleHandlers.list)
        registry.command("billing.offer.create", BillingOfferCreate.self, handle: OfferHandlers.create)
        registry.command("billing.offer.accept", BillingOfferAction.self, handle: OfferHandlers.accept)
        registry.command("billing.offer.reject", BillingOfferAction.self, handle: OfferHandlers.reject)
        registry.command("billing.offer.pay", BillingOfferAction.self, handle: OfferPayment.pay)
        registry.query("billing.offer.list", BillingOfferList.self, handle: OfferHandlers.list)
        registry.query("billing.offer.render", BillingDocumentRender.self, handle: OfferHandlers.render)
        // Render issues the invoice (its number) the first time: a command, not a query.
        registry.command("billing.invoice.render", BillingDocumentRender.self, handle: InvoiceHandlers.render)
        registry.command("billing.invoice.send", BillingInvoiceSend.self, handle: InvoiceHandlers.send)
        // The names documents print, alongside the core's own copy of the cards.
        registry.alsoOnEvent("client.created", ClientChanged.self, handle: ClientNames.changed)
        registry.alsoOnEvent("client.updated", ClientChanged.self, handle: ClientNames.changed)
        // Offers follow their client through merges, after the core has moved the accounts.
        registry.alsoOnEvent("client.merged", ClientMerged.self, handle: OfferMerges.merged)
        registry.alsoOnEvent("client.unmerged", ClientUnmerged.self, handle: OfferMerges.unmerged)
    }
}
