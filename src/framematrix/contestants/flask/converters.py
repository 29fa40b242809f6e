"""The URL converter for path ids: the contract's rule 4 in one place.

Werkzeug's own `int` converter does not fit: it accepts any Unicode digit (Arabic-Indic,
fullwidth), and with `min`/`max` it rejects an out-of-range id only after the method check, so
`PUT /authors/0` would be 405 instead of 404. This one matches ASCII digits, and once the rule
(path and method) is chosen it answers 404 for an id outside 1..2**31-1, before the database
is asked.
"""

from __future__ import annotations

from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter

MAX_ID = 2_147_483_647


class IdConverter(BaseConverter):
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        # The length test comes first: int() of a very long string is slow, then refused.
        if len(value) > len(str(MAX_ID)) or not 1 <= int(value) <= MAX_ID:
            raise NotFound("No such id.")
        return int(value)
