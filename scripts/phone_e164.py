#!/usr/bin/env python3
"""The reference reading of phone numbers: Python's `phonenumbers` (a port of Google's
libphonenumber, pinned to the metadata of Debian's libphonenumber, see scripts/lib/deps.sh).

stdin: a JSON array of [number as typed, default region]. stdout: one JSON object per line,
{"e164": "+7..." or null, "extension": "123" or null}; e164 is null when the number cannot be
read or is not a valid number (is_valid_number), as PhoneNumber.parse answers nil.
"""
import json
import sys

import phonenumbers


def read(raw, region):
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return {"e164": None, "extension": None}
    if not phonenumbers.is_valid_number(number):
        return {"e164": None, "extension": None}
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return {"e164": e164, "extension": number.extension or None}


def main():
    cases = json.load(sys.stdin)
    for raw, region in cases:
        print(json.dumps(read(raw, region), ensure_ascii=False))


if __name__ == "__main__":
    main()
