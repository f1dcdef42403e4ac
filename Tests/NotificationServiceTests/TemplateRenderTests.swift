import Contracts
import Foundation
@testable import NotificationService
import Testing

/// Mustache as the service uses it: every name must be given, text parts are not HTML-escaped,
/// the HTML part is; the built-in templates in `templates/` all load.
@Suite struct TemplateRenderTests {
    @Test func aMissingParameterIsNamedNotLeftEmpty() throws {
        let template = try ParsedTemplate(subject: "Заказ {{order_id}}", text: "{{first_name}}, заказ {{order_id}} отправлен", html: nil)
        let error = #expect(throws: ErrorBody.self) { try template.render(["order_id": .string("1001")], locale: "ru") }
        #expect(error?.code == .validationFailed && error?.details.map(\.field) == ["params.first_name"])
        let rendered = try template.render(["order_id": .string("1001"), "first_name": .string("Анна")], locale: "ru")
        #expect(rendered.subject == "Заказ 1001" && rendered.text == "Анна, заказ 1001 отправлен")
    }

    @Test func nullCountsAsMissingAndFalseAsAnEmptySection() throws {
        let template = try ParsedTemplate(subject: nil, text: "Hello{{#name}}, {{name}}{{/name}}!", html: nil)
        #expect(try template.render(["name": .bool(false)], locale: "en").text == "Hello!")
        #expect(try template.render(["name": .string("Li")], locale: "en").text == "Hello, Li!")
        #expect(throws: ErrorBody.self) { try template.render(["name": .null], locale: "en") }
    }

    @Test func sectionsOverListsFindTheirItemsFields() throws {
        let template = try ParsedTemplate(subject: nil, text: "{{#items}}{{title}} x{{qty}}; {{/items}}", html: nil)
        let items: JSONValue = .array([.object(["title": .string("Чай"), "qty": .integer(2)]),
                                       .object(["title": .string("Мёд"), "qty": .integer(1)])])
        #expect(try template.render(["items": items], locale: "ru").text == "Чай x2; Мёд x1; ")
        let missing = #expect(throws: ErrorBody.self) {
            try template.render(["items": .array([.object(["title": .string("Чай")])])], locale: "ru")
        }
        #expect(missing?.details.map(\.field) == ["params.qty"])
    }

    @Test func htmlIsEscapedInTheHTMLPartOnly() throws {
        let template = try ParsedTemplate(subject: "{{name}}", text: "{{name}}", html: "<p>{{name}}</p>")
        let rendered = try template.render(["name": .string("Tom & <Jerry>")], locale: "en")
        #expect(rendered.subject == "Tom & <Jerry>" && rendered.text == "Tom & <Jerry>")
        #expect(rendered.html == "<p>Tom &amp; &lt;Jerry&gt;</p>")
    }

    @Test func aTemplateThatDoesNotParseNamesItsPart() throws {
        let error = #expect(throws: ErrorBody.self) { try ParsedTemplate(subject: "ok", text: "ok", html: "{{#open}} never closed") }
        #expect(error?.details.first?.field == "html" && error?.details.first?.problem == "invalid_template")
    }

    @Test func theBuiltInTemplatesLoadInBothLocales() throws {
        let catalog = try TemplateCatalog.load()
        for name in ["welcome", "reliability_no_trust", "order_shipped"] {
            #expect(catalog.entries[name]?.keys.sorted() == ["en", "ru"], "\(name)")
        }
        let welcome = try #require(catalog.entries["welcome"]?["ru"])
        #expect(welcome.subject == "Добро пожаловать в {{store_name}}", "the subject is one line, trimmed")
        #expect(welcome.html != nil)
    }

    @Test func aBrokenBuiltInTemplateStopsTheStartWithItsName() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("ru"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("{{#x}}".utf8).write(to: folder.appendingPathComponent("ru/bad.text.mustache"))
        let error = #expect(throws: TemplateCatalog.CatalogError.self) { try TemplateCatalog.load(from: folder) }
        #expect(error?.description.contains("templates/ru/bad") == true)
    }
}
