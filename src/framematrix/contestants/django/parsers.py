"""The one request parser: JSON, and only a JSON object, of at most 1 MiB."""

from __future__ import annotations

import io
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONObjectParser(JSONParser):
    """DRF's JSONParser, held to Django's body size limit and to a JSON object."""

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> dict[str, Any]:
        # JSONParser reads the raw stream, which skips Django's DATA_UPLOAD_MAX_MEMORY_SIZE;
        # `request.body` applies it and raises RequestDataTooBig (413 in exceptions.py).
        body = parser_context["request"].body
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply") from None
        if not isinstance(data, dict):
            raise ParseError("The body must be a JSON object.")
        return data
