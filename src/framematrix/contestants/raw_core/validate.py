"""The contract's input rules, by hand: ids, query parameters, JSON bodies and their fields.

No schema library: the baselines must show the cost of the checks themselves, nothing more.
Each check returns an error message or None, so the caller can collect every broken rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

from framematrix.contestants.raw_core.response import Response, error

MAX_ID = 2_147_483_647
ID_RANGE = f"must be an integer from 1 to {MAX_ID}"
_HUGE = 1 << 63
"""Stands for any integer too long to be in range, so no giant number is ever converted."""

_EMAIL = re.compile(r"[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+")
BAD_JSON = error(400, "Request body is not valid UTF-8 JSON")
NOT_OBJECT = error(400, "Request body must be a JSON object")

Check = Callable[[Any], str | None]
Errors = list[dict[str, Any]]


def decimal(text: str) -> int | None:
    """A string of ASCII digits as an int; None for anything else (sign, space, '1.5', '')."""
    if not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0")
    return int(digits or "0") if len(digits) <= 19 else _HUGE


def path_id(text: str) -> int | None:
    """Rule 4: an id is 1..2147483647 in decimal; anything else is treated as not found."""
    value = decimal(text)
    return value if value is not None and 1 <= value <= MAX_ID else None


def query_params(query: str, names: frozenset[str]) -> dict[str, str]:
    """The wanted parameters of a query string; unknown ones are ignored, the last one wins."""
    found: dict[str, str] = {}
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        if "%" in name or "+" in name:
            name = unquote_plus(name)
        if name in names:
            found[name] = unquote_plus(value) if "%" in value or "+" in value else value
    return found


def query_int(
    params: dict[str, str], name: str, default: int, low: int, high: int, errors: Errors
) -> int:
    """Rule 5: a query integer in [low, high]; out of range, empty or not decimal is 422."""
    text = params.get(name)
    if text is None:
        return default
    value = decimal(text)
    if value is None or not low <= value <= high:
        errors.append({"loc": ["query", name], "msg": f"must be an integer from {low} to {high}"})
        return default
    return value


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _parse_int(text: str) -> int:
    if len(text) <= 19:
        return int(text)
    return -_HUGE if text[0] == "-" else _HUGE


def json_object(body: bytes) -> dict[str, Any] | Response:
    """Rule 14: the body as a dict, or the 400 to answer (not UTF-8, not JSON, not an object)."""
    try:
        data = json.loads(body.decode(), parse_constant=_reject_constant, parse_int=_parse_int)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return BAD_JSON
    return data if type(data) is dict else NOT_OBJECT


def _unicode_problem(value: str) -> str | None:
    """Rule 12: no NUL, and only real code points (a lone surrogate cannot be stored)."""
    if "\x00" in value:
        return "must not contain U+0000"
    if not value.isascii():
        try:
            value.encode()
        except UnicodeEncodeError:
            return "must be valid Unicode (no lone surrogates)"
    return None


def text(low: int, high: int) -> Check:
    """A JSON string of `low`..`high` code points."""

    def check(value: Any) -> str | None:
        if type(value) is not str:
            return "must be a string"
        if not low <= len(value) <= high:
            return f"must be {low} to {high} characters long"
        return _unicode_problem(value)

    return check


def email(value: Any) -> str | None:
    """Rule 13: at most 254 code points matching the contract's pattern as a whole."""
    if type(value) is not str:
        return "must be a string"
    if len(value) > 254:
        return "must be at most 254 characters long"
    if _EMAIL.fullmatch(value) is None:
        return "must be an email address"
    return _unicode_problem(value)


def identifier(value: Any) -> str | None:
    """Rule 11: a JSON integer (not a float, string or boolean) in the id range."""
    if type(value) is not int:
        return "must be an integer"
    if not 1 <= value <= MAX_ID:
        return ID_RANGE
    return None


def fields(data: dict[str, Any], rules: dict[str, Check], *, partial: bool) -> Errors:
    """Every broken rule of a write body: unknown, missing (unless `partial`) or invalid fields."""
    errors: Errors = []
    for key, value in data.items():
        check = rules.get(key)
        problem = "unknown field" if check is None else check(value)
        if problem is not None:
            errors.append({"loc": ["body", key], "msg": problem})
    if partial:
        if not data:
            errors.append({"loc": ["body"], "msg": "at least one field is required"})
    else:
        errors.extend(
            {"loc": ["body", key], "msg": "field required"} for key in rules if key not in data
        )
    return errors
