"""Validation of our OCDS output against the official OCDS 1.1.5 schema (BID-5).

The schema files in ``ocds-1.1.5/`` are the standard's own (Apache-2.0), kept in
the repository so CI checks offline. Validation is JSON Schema Draft 4 with
``jsonschema``; ``date-time`` and ``uri`` formats are checked (rfc3339-validator,
rfc3986-validator), and codelists are enforced:

- closed codelists (``"openCodelist": false``) are ``enum`` in the schema, so the
  validator refuses any other code; ``closed_codelists()`` proves each enum is the
  codelist's CSV, so a damaged copy of the schema cannot weaken the check;
- for open codelists we hold ourselves to the published codes too
  (``codelist_errors``): we add no codes of our own.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMA_DIR = Path(__file__).resolve().parent / "ocds-1.1.5"


def load(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@cache
def package_validator() -> Draft4Validator:
    release = load("release-schema.json")
    package = load("release-package-schema.json")
    registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
        for schema in (release, package)
    )
    return Draft4Validator(
        package, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )


@cache
def codelist(name: str) -> frozenset[str]:
    with (SCHEMA_DIR / "codelists" / name).open(encoding="utf-8", newline="") as handle:
        return frozenset(row["Code"] for row in csv.DictReader(handle))


def _walk_schema(node, path: str = "") -> Iterator[tuple[str, dict]]:
    if isinstance(node, dict):
        if "codelist" in node:
            yield path, node
        for key, value in node.items():
            yield from _walk_schema(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk_schema(value, f"{path}/{index}")


def closed_codelists() -> list[tuple[str, str, list]]:
    """(schema path, codelist file, enum) of every closed codelist of the release schema."""
    found = []
    for path, node in _walk_schema(load("release-schema.json")):
        if node.get("openCodelist") is False:
            enum = node.get("enum", node.get("items", {}).get("enum"))
            found.append((path, node["codelist"], enum))
    return found


def errors(package: dict) -> list[str]:
    """Every schema and codelist error of a release package, as readable lines."""
    lines = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in package_validator().iter_errors(package)
    ]
    for release in package.get("releases", []):
        lines.extend(codelist_errors(release))
    return lines


def codelist_errors(release: dict) -> list[str]:
    """Codes outside the published codelists, open ones included."""
    schema = load("release-schema.json")
    found: list[str] = []

    def resolve(node: dict) -> dict:
        while "$ref" in node:
            node = schema["definitions"][node["$ref"].rsplit("/", 1)[1]]
        return node

    def visit(value, node: dict, path: str) -> None:
        node = resolve(node)
        if "codelist" in node and value is not None:
            codes = codelist(node["codelist"])
            for code in value if isinstance(value, list) else [value]:
                if code not in codes:
                    found.append(f"{path}: {code!r} is not in {node['codelist']}")
            return
        if isinstance(value, dict):
            for key, item in value.items():
                if key in node.get("properties", {}):
                    visit(item, node["properties"][key], f"{path}/{key}")
        elif isinstance(value, list) and "items" in node:
            for index, item in enumerate(value):
                visit(item, node["items"], f"{path}/{index}")

    visit(release, schema, release.get("id", "release"))
    return found
