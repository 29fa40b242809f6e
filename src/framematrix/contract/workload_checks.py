"""The checks of the two endpoints beyond the blog (RULES.md 25-35): the upstream and the image.

Each belongs to a contract `part`; a contestant whose `ContestantSpec.lacks` names the part gets
them reported as not applicable. Checks that make the upstream misbehave or count its calls
need the suite to hold the upstream the contestant was started with (`Context.upstream`).
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageStat

from framematrix import images
from framematrix.contract.context import (
    MAX_ID,
    Check,
    CheckFailed,
    Context,
    check_author,
    ensure,
)
from framematrix.upstream.profiles import profile_for
from framematrix.upstream.running import RunningUpstream

SAMPLE = "sample.jpg"
WIDTHS = (16, 333, 1000, images.MAX_WIDTH)
BAD_WIDTHS = ("15", "4097", "0", "-16", "abc", "1.5", "", "1e3", "%2016", "99999999999999999999")
UNKNOWN_IMAGES = ("nope.jpg", "sample.png", "SAMPLE.JPG", "sample.jpg.bak")
FAILING_STATUSES = (503, 500, 404)
PIXEL_TOLERANCE = 8.0
"""Mean absolute difference per channel (0-255) from the reference resize: another good filter
stays far below it, a different or blank image far above."""
TIMEOUT_SLACK_S = 5.0


@dataclass(frozen=True)
class WorkloadCheck:
    name: str
    run: Check
    part: str
    """`upstream` or `image`, the names `ContestantSpec.lacks` uses."""
    needs_upstream: bool = False
    """It stops, stalls or counts the upstream, so the suite must hold it."""


WORKLOAD_CHECKS: list[WorkloadCheck] = []


def check(name: str, part: str, *, needs_upstream: bool = False) -> Callable[[Check], Check]:
    def register(function: Check) -> Check:
        WORKLOAD_CHECKS.append(WorkloadCheck(name, function, part, needs_upstream))
        return function

    return register


def upstream_check(name: str) -> Callable[[Check], Check]:
    """A check that stops, stalls or counts the upstream (see `WorkloadCheck.needs_upstream`)."""
    return check(name, "upstream", needs_upstream=True)


def _profile_path(author_id: int | str) -> str:
    return f"/authors/{author_id}/profile"


def _canonical(value: object) -> str:
    """JSON text with sorted keys: equal only when keys, values and JSON types all are."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def held_upstream(ctx: Context) -> RunningUpstream:
    assert ctx.upstream is not None, "the suite runs this check only with an upstream"
    return ctx.upstream


def not_allowed(ctx: Context, method: str, path: str) -> None:
    response = ctx.client.request(method, path)
    ctx.expect_error(response, 405)
    header = response.header("Allow") or ""
    listed = {part.strip().upper() for part in header.split(",") if part.strip()}
    ensure("GET" in listed, f"{method} {path}: Allow {header!r} does not list GET")


# -- waiting on another service --------------------------------------------------------------


@upstream_check("profile: the author and the upstream's object, from one upstream call")
def profile(ctx: Context) -> None:
    upstream = held_upstream(ctx)
    author = ctx.new_author(name="Profiled Author")
    before = upstream.calls(author["id"])
    body = ctx.expect(ctx.client.get(_profile_path(author["id"])), 200)
    calls = upstream.calls(author["id"]) - before
    ensure(calls == 1, f"the upstream was called {calls} times for one profile request, not once")
    ensure(
        isinstance(body, dict) and set(body) == {"author", "profile"},
        f"a profile answer is {{author, profile}}, got {body!r:.200}",
    )
    ensure(check_author(body["author"]) == author, f"author {body['author']} != {author}")
    expected = profile_for(str(author["id"]))
    ensure(
        _canonical(body["profile"]) == _canonical(expected),
        f"profile {_canonical(body['profile'])[:200]} is not the upstream's "
        f"{_canonical(expected)[:200]}",
    )


@upstream_check("profile: unknown or malformed id is 404, without calling the upstream")
def profile_unknown(ctx: Context) -> None:
    upstream = held_upstream(ctx)
    for ident in (str(ctx.gone_author_id()), "0", str(MAX_ID + 1), "abc", "1.5"):
        before = upstream.calls(ident)
        ctx.expect_error(ctx.client.get(_profile_path(ident)), 404)
        calls = upstream.calls(ident) - before
        ensure(calls == 0, f"GET {_profile_path(ident)} called the upstream {calls} times")


@upstream_check("profile: upstream refusing connections is 502, and it recovers")
def profile_refused(ctx: Context) -> None:
    path = _profile_path(ctx.new_author()["id"])
    ctx.expect(ctx.client.get(path), 200)  # a pooled connection now exists, then dies
    with held_upstream(ctx).stopped():
        ctx.expect_error(ctx.client.get(path), 502)
        ctx.expect_error(ctx.client.get(path), 502)
    ctx.expect(ctx.client.get(path), 200)


def _bad_gateway_while(ctx: Context, failures: Iterable[AbstractContextManager[None]]) -> str:
    """A new author's profile path, once it answered 502 while the upstream failed in each way of
    `failures` (its `mode`s)."""
    path = _profile_path(ctx.new_author()["id"])
    for failing in failures:
        with failing:
            ctx.expect_error(ctx.client.get(path), 502)
    return path


@upstream_check("profile: upstream answering outside 2xx is 502")
def profile_bad_status(ctx: Context) -> None:
    upstream = held_upstream(ctx)
    path = _bad_gateway_while(ctx, (upstream.mode("status", s) for s in FAILING_STATUSES))
    ctx.expect(ctx.client.get(path), 200)


@upstream_check("profile: upstream answering no JSON object is 502")
def profile_bad_body(ctx: Context) -> None:
    upstream = held_upstream(ctx)
    _bad_gateway_while(ctx, (upstream.mode(mode) for mode in ("not-json", "not-object")))


@upstream_check("profile: upstream that never answers is 504 after the timeout")
def profile_stalled(ctx: Context) -> None:
    path = _profile_path(ctx.new_author()["id"])
    with held_upstream(ctx).mode("stall"):
        started = time.monotonic()
        response = ctx.client.get(path)
        waited = time.monotonic() - started
    ctx.expect_error(response, 504)
    timeout = ctx.upstream_timeout_s
    if timeout is not None:
        ensure(
            0.8 * timeout <= waited <= timeout + TIMEOUT_SLACK_S,
            f"504 after {waited:.2f} s with an upstream timeout of {timeout} s",
        )
    ctx.expect(ctx.client.get(path), 200)


@check("profile: other methods are 405 with Allow", "upstream")
def profile_methods(ctx: Context) -> None:
    path = _profile_path(ctx.new_author()["id"])
    for method in ("POST", "PUT", "DELETE"):
        not_allowed(ctx, method, path)


# -- computing -------------------------------------------------------------------------------


def _decoded(ctx: Context, width: int) -> Image.Image:
    path = f"/images/{SAMPLE}?width={width}"
    response = ctx.client.get(path)
    ensure(response.status == 200, f"expected 200: {response.describe()}")
    media = (response.header("Content-Type") or "").partition(";")[0].strip().lower()
    ensure(media == images.MEDIA_TYPE, f"GET {path}: Content-Type {media!r}, not image/jpeg")
    try:
        image = Image.open(io.BytesIO(response.body))
        image.load()
    except OSError as exc:
        raise CheckFailed(f"GET {path}: the body is not an image ({exc})") from None
    ensure(image.format == "JPEG", f"GET {path}: the body is {image.format}, not JPEG")
    return image


@check("image: resized to the width asked, aspect ratio kept, as JPEG", "image")
def image_resized(ctx: Context) -> None:
    source = images.source_size(SAMPLE)
    for width in WIDTHS:
        image = _decoded(ctx, width)
        expected = (width, images.height_for(width, source))
        ensure(image.size == expected, f"width={width}: {image.size}, not {expected}")
        reference = Image.open(io.BytesIO(images.render(SAMPLE, width))).convert("RGB")
        difference = ImageStat.Stat(ImageChops.difference(image.convert("RGB"), reference))
        mean = sum(difference.mean) / len(difference.mean)
        ensure(
            mean <= PIXEL_TOLERANCE,
            f"width={width}: pixels differ from the resized sample by {mean:.1f} on average",
        )


@check("image: width missing, outside 16..4096 or not a decimal integer: 422", "image")
def image_bad_width(ctx: Context) -> None:
    ctx.expect_error(ctx.client.get(f"/images/{SAMPLE}"), 422, ["query", "width"])
    for value in BAD_WIDTHS:
        path = f"/images/{SAMPLE}?width={value}"
        ctx.expect_error(ctx.client.get(path), 422, ["query", "width"])


@check("image: unknown image name: 404", "image")
def image_unknown(ctx: Context) -> None:
    for name in UNKNOWN_IMAGES:
        ctx.expect_error(ctx.client.get(f"/images/{name}?width=100"), 404)


@check("image: other methods are 405 with Allow", "image")
def image_methods(ctx: Context) -> None:
    for method in ("POST", "DELETE"):
        not_allowed(ctx, method, f"/images/{SAMPLE}?width=100")
