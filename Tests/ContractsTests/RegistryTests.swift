import Contracts
import Foundation
import Testing

/// Loading, lookup and reporting of `SchemaRegistry`, and the load errors that keep a broken or
/// unsupported schema from being silently half-checked.
@Suite struct RegistryTests {
    @Test func typesAreTheSchemaFileNames() throws {
        let types = try Schemas.load().types
        #expect(types == (try Repository.schemaFiles()).map { String($0.dropLast(".schema.json".count)) }.sorted())
        for expected in ["order.placed", "order.status_changed", "reply", "money", "service_status.result"] {
            #expect(types.contains(expected))
        }
        for service in ServiceName.allCases { #expect(types.contains(service.statusType)) }
    }

    @Test func unknownTypesGiveNil() throws {
        let registry = try Schemas.load()
        #expect(registry.validate(.object([:]), type: "order.shipped") == nil)
        #expect(registry.validate(.object([:]), schemaID: "order.placed.schema.json#/$defs/nothing") == nil)
    }

    @Test func schemaIDsReachDefinitions() throws {
        let registry = try Schemas.load()
        let item = JSONValue.literal(#"{"sku": "A", "name": "B", "quantity": 0, "price": {"amount": 1, "currency": "RUB"}}"#)
        #expect(registry.validate(item, schemaID: "order.placed.schema.json#/$defs/item")
            == [SchemaIssue(field: "quantity", problem: "below_minimum")])
        #expect(registry.validate(.literal(#"{"amount": 1, "currency": "RUB"}"#), schemaID: "money.schema.json") == [])
        #expect(registry.validate(.literal(#"{"amount": 1, "currency": "RUB"}"#), schemaID: "money.schema.json#") == [])
    }

    @Test func issuesAreSortedByFieldThenProblem() throws {
        let order = JSONValue.literal("""
            {"store_id": "", "order_id": 7, "placed_at": "soon", "customer": {"first_name": "A", "email": "x"},
             "total": {"amount": 1.5, "currency": "rub"}, "payment_method": "card", "zzz": 1, "aaa": 2}
            """)
        let issues = try #require(try Schemas.load().validate(order, type: "order.placed"))
        #expect(issues == [
            SchemaIssue(field: "aaa", problem: "not_allowed"),
            SchemaIssue(field: "customer.email", problem: "invalid_format"),
            SchemaIssue(field: "order_id", problem: "invalid_type"),
            SchemaIssue(field: "placed_at", problem: "invalid_format"),
            SchemaIssue(field: "store_id", problem: "too_short"),
            SchemaIssue(field: "total.amount", problem: "invalid_type"),
            SchemaIssue(field: "total.currency", problem: "pattern_mismatch"),
            SchemaIssue(field: "zzz", problem: "not_allowed"),
        ])
    }

    @Test func defaultDirectoryHoldsTheSchemas() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: SchemaRegistry.defaultDirectory().path)
        #expect(files.contains("order.placed.schema.json"))
    }

    @Test func loadsThroughASymlinkedFolder() throws {
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("contracts-link-\(UUID().uuidString)")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: Repository.schemas)
        defer { try? FileManager.default.removeItem(at: link) }
        #expect(try SchemaRegistry(directory: link).types == (try Schemas.load().types))
    }

    static let loadErrors: [(schema: String, error: SchemaLoadError)] = [
        (#"{"type": "array", "uniqueItems": true}"#, .unsupportedKeyword("uniqueItems", location: "bad.schema.json#/uniqueItems")),
        (#"{"properties": {"a": {"$id": "a.json"}}}"#, .unsupportedKeyword("$id below the root", location: "bad.schema.json#/properties/a/$id")),
        (#"{"$ref": "nope.schema.json"}"#, .unresolvedReference("nope.schema.json#", location: "bad.schema.json#/$ref")),
        (##"{"$ref": "#/$defs/missing"}"##, .unresolvedReference("bad.schema.json#/$defs/missing", location: "bad.schema.json#/$ref")),
        (##"{"$ref": "#anchor"}"##, .unresolvedReference("#anchor", location: "bad.schema.json#/$ref")),
        (#"{"format": "uri"}"#, .invalidSchema(location: "bad.schema.json#/format", reason: "format is not a supported format")),
        (#"{"pattern": "("}"#, .invalidSchema(location: "bad.schema.json#/pattern", reason: "pattern is not a valid regular expression")),
        (#"{"minLength": -1}"#, .invalidSchema(location: "bad.schema.json#/minLength", reason: "minLength must be a non-negative integer")),
        (#"{"type": "text"}"#, .invalidSchema(location: "bad.schema.json#/type", reason: "type has an unknown type")),
        (#"{"items": [{"type": "string"}]}"#, .invalidSchema(location: "bad.schema.json#/items", reason: "a schema is an object or a boolean")),
        (#"{"$defs": {"x": {"uniqueItems": true}}}"#, .unsupportedKeyword("uniqueItems", location: "bad.schema.json#/$defs/x/uniqueItems")),
        ("{not json", .unreadable(file: "bad.schema.json", reason: "")),
    ]

    @Test(arguments: loadErrors.indices)
    func badSchemasFailToLoad(_ index: Int) throws {
        let (schema, expected) = Self.loadErrors[index]
        let dir = try temporaryFolder(["bad.schema.json": schema])
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = #expect(throws: SchemaLoadError.self) { try SchemaRegistry(directory: dir) }
        if case .unreadable(let file, _)? = error, case .unreadable(let expectedFile, _) = expected {
            #expect(file == expectedFile)
        } else {
            #expect(error == expected, "\(schema)")
        }
    }

    @Test func duplicateIDsFailToLoad() throws {
        let dir = try temporaryFolder(["a.schema.json": #"{"$id": "same.json"}"#, "b.schema.json": #"{"$id": "same.json"}"#])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: SchemaLoadError.duplicateID("same.json")) { try SchemaRegistry(directory: dir) }
    }

    private func temporaryFolder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("contracts-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir
    }
}
