"""The probes that tell whether an app serves a battery: each sends a few requests through a
framework's test client (`testclient.setups.Send`) and says whether the answers show it.

Every minimal app (`apps_django`, `apps_other`) serves the same resource, thirty items
`{"id", "name"}` at `/items/`, and its framework's defaults everywhere else, so one probe fits
them all; paths are the frameworks' documented default locations.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from framematrix.measure.testclient.setups import Send

COUNT = 30
"""Items every minimal app serves."""
USER, PASSWORD = "probe", "probe-pass-1"
"""The user a Django-family app is given (a superuser): the only apps with a user store."""
SCHEMAS = ("/openapi.json", "/schema/openapi.json", "/api/openapi.json")
DOCS = ("/docs", "/docs/", "/schema", "/schema/swagger", "/redoc")
DOCS_MARKS = ("swagger-ui", "redoc", "rapidoc", "stoplight")
LOGINS = ("/admin/login/", "/accounts/login/", "/login")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

Probe = Callable[[Send], bool]


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _rows(body: bytes) -> list[dict[str, Any]]:
    """The items of a list answer, bare or in a page's envelope."""
    found = _json(body)
    if isinstance(found, dict):
        found = found.get("results") or found.get("items") or found.get("data")
    return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []


def _get(send: Send, path: str) -> tuple[int, bytes]:
    status, _, body = send("GET", path, {}, None)
    return status, body


def openapi(send: Send) -> bool:
    for path in SCHEMAS:
        status, body = _get(send, path)
        if status == 200 and (
            "openapi" in (_json(body) or {}) or body.lstrip().startswith(b"openapi:")
        ):
            return True
    return False


def docs(send: Send) -> bool:
    for path in DOCS:
        status, body = _get(send, path)
        if status == 200 and any(
            mark in body.decode(errors="replace").lower() for mark in DOCS_MARKS
        ):
            return True
    return False


def pagination(send: Send) -> bool:
    """A second page: fewer than all the items, not starting with the first."""
    for query in ("limit=5&offset=5", "page=2&page_size=5", "page=2"):
        status, body = _get(send, f"/items/?{query}")
        rows = _rows(body)
        if status == 200 and 0 < len(rows) < COUNT and rows[0].get("id") != 1:
            return True
    return False


def filtering(send: Send) -> bool:
    """Only the item asked for, by its name."""
    for query in ("name=item-07", "search=item-07"):
        status, body = _get(send, f"/items/?{query}")
        rows = _rows(body)
        if status == 200 and rows and all(r.get("name") == "item-07" for r in rows):
            return True
    return False


def permissions(send: Send) -> bool:
    """An anonymous request for the items is refused (or sent to log in)."""
    return _get(send, "/items/")[0] in (302, 401, 403)


def admin(send: Send) -> bool:
    """An admin site: its login page, behind /admin/."""
    status, _ = _get(send, "/admin/")
    login, body = _get(send, "/admin/login/")
    return status in (200, 302) and login == 200 and b"admin" in body.lower()


def authentication(send: Send) -> bool:
    """A login the app serves: the user's password is let in (a redirect onwards), a wrong one
    is not."""
    for path in LOGINS:
        wrong = send("POST", path, FORM, f"username={USER}&password=wrong".encode())
        if wrong[0] in (404, 405):
            continue
        right = send("POST", path, FORM, f"username={USER}&password={PASSWORD}".encode())
        if wrong[0] != 302 and right[0] == 302:
            return True
    return False


def crud(send: Send) -> bool:
    """Create, read, update and delete an item, with no handler written for it."""
    json_type = {"Content-Type": "application/json"}
    made = send("POST", "/items/", json_type, b'{"name": "made"}')
    key = (_json(made[2]) or {}).get("id") if made[0] == 201 else None
    if key is None:
        return False
    read = _get(send, f"/items/{key}/")[0]
    updated = send("PUT", f"/items/{key}/", json_type, b'{"name": "changed"}')[0]
    deleted = send("DELETE", f"/items/{key}/", {}, None)[0]
    return read == 200 and updated == 200 and deleted == 204


def test_client(send: Send) -> bool:
    """The framework's own client reaches the app (every probe goes through it)."""
    status, body = _get(send, "/items/")
    return status == 200 and len(_rows(body)) == COUNT


PROBES: dict[str, Probe] = {
    "openapi": openapi,
    "docs": docs,
    "crud": crud,
    "pagination": pagination,
    "filtering": filtering,
    "permissions": permissions,
    "admin": admin,
    "authentication": authentication,
    "test client": test_client,
}
"""Battery -> its probe, in the report's order."""
