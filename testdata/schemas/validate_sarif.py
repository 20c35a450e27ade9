#!/usr/bin/env python3
"""Validates the SARIF log on standard input against the schema file named by the first argument.

Exit 0: valid. Exit 1: invalid (each error on stderr, with its JSON path). Exit 3: jsonschema or a URI format
checker is missing, so nothing could be checked; that must fail a test, not pass it.

The schema declares JSON Schema draft-04; it is checked with the Draft-07 validator (what the SARIF TC's current
copy of the schema declares) and with the validator for the draft it declares, with format checks on, so `uri` and
`uri-reference` values are checked too.
"""
import json
import sys

try:
    from jsonschema import Draft7Validator, FormatChecker, validators
except ImportError as error:
    print(f"python3 cannot import jsonschema ({error}): python3 -m pip install jsonschema rfc3986-validator", file=sys.stderr)
    sys.exit(3)


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        schema = json.load(handle)
    checker = FormatChecker()
    if "uri-reference" not in checker.checkers:
        print("jsonschema has no uri-reference format checker: python3 -m pip install rfc3986-validator", file=sys.stderr)
        return 3
    log = json.load(sys.stdin)
    failed = False
    for validator_class in {Draft7Validator, validators.validator_for(schema)}:
        validator_class.check_schema(schema)
        for error in sorted(validator_class(schema, format_checker=checker).iter_errors(log), key=lambda e: list(e.path)):
            failed = True
            path = "/".join(str(part) for part in error.absolute_path) or "(root)"
            print(f"{validator_class.__name__}: {path}: {error.message}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
