"""Integers as JSON Schema 2020-12 counts them: a number with a zero fractional part is one.

The schemas in ``schemas/`` are the source of truth, and to them ``15.0`` (or ``1.5e1``) is the
integer 15; strict pydantic alone would refuse it. A fraction, a string or a boolean is still
not an integer.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator

#: A JSON number (RFC 8259), as a query string spells an integer parameter too.
JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def whole_number(value: object) -> object:
    """``15.0`` → ``15``; anything else unchanged, for the strict ``int`` validator to judge."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: A request body's integer field.
JsonInt = Annotated[int, BeforeValidator(whole_number)]


def query_integer(text: str) -> Decimal | None:
    """``text`` as a whole number when it is a JSON number with a zero fractional part (``2``,
    ``2.0``, ``2e0``), else None. A ``Decimal``, so a huge exponent costs nothing before the
    caller's range check."""
    if JSON_NUMBER.fullmatch(text) is None:
        return None
    number = Decimal(text)
    return number if number == number.to_integral_value() else None
