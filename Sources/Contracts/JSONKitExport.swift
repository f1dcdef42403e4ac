/// The message types are written in JSONKit's terms (`JSONValue`, `RFC3339`, `SchemaRegistry`…):
/// whoever imports the contracts gets the format with them.
@_exported import JSONKit
