"""CSRF: a logged-in, state-changing form POST without the token must be refused.

The verdict rests on what was stored, not on status codes alone: a control POST that carries the
form's token must create its post, and the token-less one must not. If even the control fails,
the probe cannot tell.
"""

from __future__ import annotations

from framematrix.audit.context import Context, hidden_fields, logged_in
from framematrix.audit.model import ProbeResult

NAME = "csrf"


@logged_in(NAME)
def csrf(ctx: Context) -> ProbeResult:
    client = ctx.login.client
    bare, control = ctx.marker("csrf-bare"), ctx.marker("csrf-control")
    refused = client.request("POST", "/posts/new", form={"title": bare, "content": "no token"})
    form = hidden_fields(client.request("GET", "/posts/new").text)
    accepted = client.request(
        "POST", "/posts/new", form={**form, "title": control, "content": "with the form's token"}
    )
    home = client.request("GET", "/").text
    if control not in home:
        return ProbeResult.cannot_tell(
            NAME,
            f"even the POST /posts/new with the form's fields created no post "
            f"(status {accepted.status})",
        )
    if bare in home:
        return ProbeResult(
            NAME,
            False,
            f"POST /posts/new without a token was accepted (status {refused.status})",
            "csrf-missing",
        )
    token = ", ".join(sorted(form)) or "no hidden field (header or origin check)"
    return ProbeResult(
        NAME, True, f"without a token: {refused.status}; token field: {token}", "csrf-ok"
    )


PROBES = (csrf,)
