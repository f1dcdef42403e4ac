import Contracts
import Foundation
import PDFRendering

/// A document as an A4 PDF (cairo + pango): a header, seller and buyer, the lines as a table that
/// goes on over as many pages as it needs, and the totals.
enum DocumentPDF {
    static let margin = 40.0
    /// Column left edges and widths over the 515 pt between the margins.
    static let columns: [(x: Double, width: Double, alignment: PDFCanvas.Alignment)] = [
        (0, 18, .left), (20, 135, .left), (157, 30, .right), (189, 64, .right),
        (255, 66, .right), (323, 62, .right), (387, 62, .right), (451, 64, .right),
    ]

    static func render(_ content: BillingDocumentContent, locale: BillingDocumentRender.Locale) throws -> Data {
        let words = DocumentWords(locale: locale)
        let canvas = PDFCanvas(title: words.title(content))
        let right = PDFCanvas.a4.width - margin
        var y = margin
        y += canvas.text(words.title(content), x: margin, y: y, width: right - margin, size: 15, bold: true) + 10
        y += canvas.text("\(words.seller): \(content.seller)", x: margin, y: y, width: right - margin, size: 10) + 2
        y += canvas.text("\(words.buyer): \(content.buyer)", x: margin, y: y, width: right - margin, size: 10) + 12

        func header() {
            var height = 0.0
            for (index, title) in words.columns.enumerated() {
                let c = columns[index]
                height = max(height, canvas.text(title, x: margin + c.x, y: y, width: c.width, size: 8, bold: true, alignment: c.alignment))
            }
            y += height + 2
            canvas.line(from: (margin, y), to: (right, y))
            y += 3
        }
        header()
        for (index, line) in content.lines.enumerated() {
            let cells = [String(index + 1), line.description, String(line.quantity),
                         words.money(line.unitPrice.amount, line.unitPrice.currency), words.money(line.amount, content.currency),
                         words.money(line.discount, content.currency), words.money(line.tax, content.currency),
                         words.money(line.total, content.currency)]
            if y > PDFCanvas.a4.height - margin - 120 {
                canvas.newPage()
                y = margin
                header()
            }
            var height = 0.0
            for (column, cell) in cells.enumerated() {
                let c = columns[column]
                height = max(height, canvas.text(cell, x: margin + c.x, y: y, width: c.width, size: 8, alignment: c.alignment,
                                                 wrap: column == 1))
            }
            y += height + 3
            canvas.line(from: (margin, y), to: (right, y), lineWidth: 0.3, gray: 0.6)
            y += 3
        }
        y += 8
        for (label, amount, bold) in [(words.subtotal, content.subtotal, false), (words.discount, content.discount, false),
                                      (words.tax, content.tax, false), (words.total, content.total, true)] {
            canvas.text(label, x: margin + 280, y: y, width: 120, size: bold ? 11 : 9, bold: bold)
            y += canvas.text(words.money(amount, content.currency), x: margin + 400, y: y, width: 115, size: bold ? 11 : 9,
                             bold: bold, alignment: .right, wrap: false) + 3
        }
        if let note = content.note {
            y += 10
            canvas.text(note, x: margin, y: y, width: right - margin, size: 8, gray: 0.3)
        }
        return try canvas.finish()
    }
}
