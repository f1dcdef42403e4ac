import Contracts
import Foundation

/// A document as a self-contained HTML page (UTF-8, no outside resources).
enum DocumentHTML {
    static func render(_ content: BillingDocumentContent, locale: BillingDocumentRender.Locale) -> String {
        let words = DocumentWords(locale: locale)
        let money = { (amount: Int64) in escape(words.money(amount, content.currency)) }
        var rows = ""
        for (index, line) in content.lines.enumerated() {
            rows += "<tr><td>\(index + 1)</td><td>\(escape(line.description))</td><td class=\"n\">\(line.quantity)</td>"
            rows += "<td class=\"n\">\(escape(words.money(line.unitPrice.amount, line.unitPrice.currency)))</td>"
            rows += "<td class=\"n\">\(money(line.amount))</td><td class=\"n\">\(money(line.discount))</td>"
            rows += "<td class=\"n\">\(money(line.tax))</td><td class=\"n\">\(money(line.total))</td></tr>\n"
        }
        let head = words.columns.map { "<th>\(escape($0))</th>" }.joined()
        let note = content.note.map { "<p>\(escape($0))</p>\n" } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="\(locale.rawValue)"><head><meta charset="utf-8"><title>\(escape(words.title(content)))</title>
            <style>body{font-family:"DejaVu Sans",sans-serif;font-size:10pt}table{border-collapse:collapse;width:100%}
            td,th{border:1px solid #999;padding:3px}.n{text-align:right;white-space:nowrap}</style></head>
            <body>
            <h1>\(escape(words.title(content)))</h1>
            <p>\(escape(words.seller)): \(escape(content.seller))<br>\(escape(words.buyer)): \(escape(content.buyer))</p>
            <table><thead><tr>\(head)</tr></thead><tbody>
            \(rows)</tbody></table>
            <table class="totals">
            <tr><td>\(escape(words.subtotal))</td><td class="n">\(money(content.subtotal))</td></tr>
            <tr><td>\(escape(words.discount))</td><td class="n">\(money(content.discount))</td></tr>
            <tr><td>\(escape(words.tax))</td><td class="n">\(money(content.tax))</td></tr>
            <tr><th>\(escape(words.total))</th><th class="n">\(money(content.total))</th></tr>
            </table>
            \(note)</body></html>

            """
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
