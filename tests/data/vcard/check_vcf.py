#!/usr/bin/python3
"""Reads vCards on stdin with the `vobject` package (Debian's python3-vobject) and prints one
line per card:

    FN|EMAIL|TEL|BDAY|CATEGORIES|X-FOLLOWUP-CHANNEL

EMAIL and TEL are the first of their kind, CATEGORIES are joined by ','. A missing value prints
as "". Exits 1 with a message on stderr when the text does not parse or holds no vCard.

Run it with /usr/bin/python3: the python3 on PATH may lack Debian's packages.
"""
import sys

try:
    import vobject
except ImportError as e:  # pragma: no cover
    sys.exit(f"check_vcf: cannot import vobject ({e}); run with /usr/bin/python3")


def first(card, name):
    """The value of the first property called `name` (lower case), as text."""
    items = card.contents.get(name)
    if not items:
        return ""
    value = items[0].value
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def main():
    data = sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"check_vcf: not UTF-8: {e}", file=sys.stderr)
        return 1
    count = 0
    try:
        for card in vobject.readComponents(text, validate=False):
            if card.name != "VCARD":
                print(f"check_vcf: expected VCARD, got {card.name}", file=sys.stderr)
                return 1
            count += 1
            fields = [first(card, n) for n in
                      ("fn", "email", "tel", "bday", "categories", "x-followup-channel")]
            print("|".join(fields))
    except Exception as e:  # vobject raises ParseError and others
        print(f"check_vcf: cannot parse: {e}", file=sys.stderr)
        return 1
    if count == 0:
        print("check_vcf: no vCard found", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
