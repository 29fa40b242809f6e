"""What several probes need once per audit: the web side's presence, a logged-in visitor, test data.

Probes stay small pure functions of a `Context`; the context does each expensive step (a login
costs a deliberately slow password hash) at most once and caches it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, wraps
from html.parser import HTMLParser

from framematrix.audit.model import ProbeResult, Target
from framematrix.audit.users import AUDIT_PASSWORD, AUDIT_USERNAME
from framematrix.contract.client import Client, Response, SetCookie

TIMEOUT_S = 15.0
USER_AGENT = "framematrix-audit"


@dataclass(frozen=True)
class Login:
    """A login attempt as the audit user, and every cookie it produced."""

    client: Client
    form_page: Response
    response: Response

    @property
    def ok(self) -> bool:
        """A redirect that set a session cookie: the web contract's successful login."""
        return self.response.is_redirect and bool(self.session_cookies)

    @property
    def session_cookies(self) -> list[SetCookie]:
        return [c for c in self.response.set_cookies if not c.is_csrf and not c.deleted]

    @property
    def csrf_cookies(self) -> list[SetCookie]:
        latest = {c.name: c for c in self.client.seen_cookies if c.is_csrf and not c.deleted}
        return list(latest.values())

    def why_not(self) -> str:
        return f"logging in as {AUDIT_USERNAME!r} answered {self.response.status}, not a redirect"


class Context:
    def __init__(self, target: Target) -> None:
        self.target = target
        self.nonce = secrets.token_hex(4)

    def client(self, *, forwarded_https: bool = True) -> Client:
        """A new visitor with its own cookie jar. `forwarded_https` sends `X-Forwarded-Proto:
        https`, the way a TLS-terminating proxy in front of the contestant would, so hardened
        profiles neither redirect nor refuse the probe."""
        headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/json;q=0.9"}
        if forwarded_https:
            headers["X-Forwarded-Proto"] = "https"
        return Client(self.target.base_url, TIMEOUT_S, headers, keep_cookies=True)

    @cached_property
    def web(self) -> bool:
        """Whether the target has the web side (a login form at /login)."""
        page = self.client().request("GET", "/login")
        return page.status == 200 and 'name="password"' in page.text.replace("'", '"')

    @property
    def page_path(self) -> str:
        """The page whose headers are judged: the HTML home page, or the API if API-only."""
        return "/" if self.web else "/posts?limit=1"

    @cached_property
    def page(self) -> Response:
        return self.client().request("GET", self.page_path)

    @cached_property
    def login(self) -> Login:
        return self.log_in(AUDIT_USERNAME, AUDIT_PASSWORD)

    def log_in(self, username: str, password: str) -> Login:
        client = self.client()
        form_page = client.request("GET", "/login")
        form = {**hidden_fields(form_page.text), "username": username, "password": password}
        return Login(client, form_page, client.request("POST", "/login", form=form))

    def create_post(self, title: str, content: str) -> int | None:
        """A post made through the JSON API (no session needed); its id, or None if refused."""
        client = self.client()
        author = client.request(
            "POST",
            "/authors",
            body={
                "name": f"Audit {self.nonce}",
                "email": f"audit-{secrets.token_hex(6)}@x.example",
            },
        )
        if author.status != 201:
            return None
        author_id = author.json()["id"]
        post = client.request(
            "POST", "/posts", body={"title": title, "content": content, "author_id": author_id}
        )
        return int(post.json()["id"]) if post.status == 201 else None

    def marker(self, label: str) -> str:
        """A string no page holds unless this audit put it there."""
        return f"fm-{label}-{self.nonce}-{secrets.token_hex(3)}"


Probe = Callable[[Context], ProbeResult]


def logged_in(name: str) -> Callable[[Probe], Probe]:
    """For a probe of what a login does: not applicable without a web side, cannot tell when the
    audit user cannot log in; the probe itself runs only with `ctx.login` logged in."""

    def guard(probe: Probe) -> Probe:
        @wraps(probe)
        def guarded(ctx: Context) -> ProbeResult:
            if not ctx.web:
                return ProbeResult.not_applicable(name, "no web side (no login form at /login)")
            if not ctx.login.ok:
                return ProbeResult.cannot_tell(name, ctx.login.why_not())
            return probe(ctx)

        return guarded

    return guard


class _HiddenInputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and (values.get("type") or "").lower() == "hidden" and values.get("name"):
            self.fields[str(values["name"])] = values.get("value") or ""


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden inputs of a page's forms: where frameworks put their CSRF token."""
    parser = _HiddenInputs()
    parser.feed(html)
    return parser.fields
