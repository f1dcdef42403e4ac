import Contracts
import Foundation

/// What an invoice or an offer prints, whatever the format: amounts straight from the tables
/// (the ledger's, or the offer's lines), never recomputed, so print and ledger agree to the minor unit.
struct BillingDocumentContent: Sendable, Equatable {
    struct Line: Sendable, Equatable {
        var description: String
        var quantity: Int
        var unitPrice: Money
        var amount: Int64
        var discount: Int64
        var tax: Int64
        var total: Int64
    }

    var kind: BillingDocument.Kind
    var number: String
    var date: Date
    var seller: String
    var buyer: String
    var currency: String
    var lines: [Line]
    var subtotal: Int64
    var discount: Int64
    var tax: Int64
    var total: Int64
    /// For an offer: until when it stands; for an invoice of a payment: its state, etc.
    var note: String?

    func filename(_ format: BillingDocumentRender.Format) -> String {
        let safe = number.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" }
        return String(safe) + (format == .pdf ? ".pdf" : ".html")
    }
}

/// The words and number forms of a document in its language.
struct DocumentWords {
    let locale: BillingDocumentRender.Locale

    func title(_ content: BillingDocumentContent) -> String {
        let date = dateText(content.date)
        switch (content.kind, locale) {
        case (.invoice, .ru): return "Счёт № \(content.number) от \(date)"
        case (.invoice, .en): return "Invoice No. \(content.number) of \(date)"
        case (.offer, .ru): return "Коммерческое предложение № \(content.number) от \(date)"
        case (.offer, .en): return "Quote No. \(content.number) of \(date)"
        }
    }

    var seller: String { locale == .ru ? "Поставщик" : "Seller" }
    var buyer: String { locale == .ru ? "Покупатель" : "Buyer" }
    var columns: [String] {
        locale == .ru ? ["№", "Наименование", "Кол.", "Цена", "Сумма", "Скидка", "Налог", "Итого"]
            : ["No.", "Description", "Qty", "Price", "Amount", "Discount", "Tax", "Total"]
    }
    var subtotal: String { locale == .ru ? "Сумма" : "Subtotal" }
    var discount: String { locale == .ru ? "Скидка" : "Discount" }
    var tax: String { locale == .ru ? "Налог" : "Tax" }
    var total: String { locale == .ru ? "Всего к оплате" : "Total due" }

    func dateText(_ date: Date) -> String {
        let day = String(RFC3339.string(from: date).prefix(10))
        guard locale == .ru else { return day }
        let parts = day.split(separator: "-")
        return "\(parts[2]).\(parts[1]).\(parts[0])"
    }

    /// 1547400 RUB → "15 474,00 ₽" (ru) or "15,474.00 RUB" (en): the minor units exactly, never rounded.
    func money(_ amount: Int64, _ currency: String) -> String {
        let plain = CurrencyUnits.plain(amount, currency: currency)
        let negative = plain.hasPrefix("-")
        let body = negative ? String(plain.dropFirst()) : plain
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        let whole = Self.grouped(String(parts[0]), separator: locale == .ru ? " " : ",")
        let fraction = parts.count > 1 ? (locale == .ru ? "," : ".") + parts[1] : ""
        let number = (negative ? "-" : "") + whole + fraction
        if locale == .ru, let symbol = Self.symbols[currency] { return number + " " + symbol }
        return number + " " + currency
    }

    static let symbols = ["RUB": "₽", "USD": "$", "EUR": "€", "KZT": "₸", "BYN": "Br", "GBP": "£", "UAH": "₴", "CNY": "¥"]

    static func grouped(_ digits: String, separator: String) -> String {
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += separator }
            out.append(digit)
        }
        return out
    }
}
