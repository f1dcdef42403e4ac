#!/usr/bin/env python3
"""Validate JSON instances against the project's schemas with the reference Python `jsonschema`.

The Swift tests (Tests/ContractsTests) use this as the independent oracle for their own validator.

  validate_json.py SCHEMAS_DIR SCHEMA_FILE     reads a JSON array of instances on stdin and prints,
                                               per instance, one line {"valid": bool, "errors": [...]}
  validate_json.py SCHEMAS_DIR --check-schemas prints, per *.schema.json, one line
                                               {"schema": name, "valid": bool, "errors": [...]}
                                               checked against the 2020-12 metaschema

Every *.schema.json in SCHEMAS_DIR is registered under its $id (else its file name), so that
cross-file "$ref": "money.schema.json" resolves. Needs jsonschema >= 4.18 and rfc3339-validator
(without it, jsonschema silently skips "format": "date-time").
"""
import json
import pathlib
import sys

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


def load_schemas(directory):
    schemas = {}
    for path in sorted(pathlib.Path(directory).glob("*.schema.json")):
        with open(path, encoding="utf-8") as f:
            schemas[path.name] = json.load(f)
    return schemas


def build_registry(schemas):
    resources = []
    for name, schema in schemas.items():
        resource = Resource.from_contents(schema, default_specification=DRAFT202012)
        uri = schema.get("$id", name) if isinstance(schema, dict) else name
        resources.append((uri, resource))
    return Registry().with_resources(resources)


def describe(error):
    return {
        "path": "/".join(str(p) for p in error.absolute_path),
        "keyword": error.validator if error.validator is not None else "false schema",
        "message": error.message,
    }


def check_schemas(schemas):
    for name, schema in schemas.items():
        errors = [describe(e) for e in Draft202012Validator(Draft202012Validator.META_SCHEMA).iter_errors(schema)]
        print(json.dumps({"schema": name, "valid": not errors, "errors": errors}, ensure_ascii=False))


def validate(schemas, schema_file, instances):
    if schema_file not in schemas:
        sys.exit(f"no schema {schema_file}")
    validator = Draft202012Validator(
        schemas[schema_file],
        registry=build_registry(schemas),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    for instance in instances:
        errors = sorted((describe(e) for e in validator.iter_errors(instance)), key=lambda e: (e["path"], e["keyword"]))
        print(json.dumps({"valid": not errors, "errors": errors}, ensure_ascii=False))


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    if "date-time" not in Draft202012Validator.FORMAT_CHECKER.checkers:
        sys.exit("rfc3339-validator is not installed: date-time formats would not be checked")
    schemas = load_schemas(argv[1])
    if argv[2] == "--check-schemas":
        check_schemas(schemas)
        return
    instances = json.load(sys.stdin)
    if not isinstance(instances, list):
        sys.exit("stdin must be a JSON array of instances")
    validate(schemas, argv[2], instances)


if __name__ == "__main__":
    main(sys.argv)
