"""`GET /work` (RULES.md 36-42) as a plain `def` operation: the upstream calls one after the
other, as a synchronous view makes them; the rest as the async flavour does it."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from framematrix.contestants.django_ninja.params import WorkQuery
from framematrix.contestants.django_ninja.schemas import WorkOut
from framematrix.contestants.django_ninja.work import POSTS, touch
from framematrix.contestants.django_ninja_sync import upstream
from framematrix.contract import work

router = Router(tags=["work"])


@router.get("", response=WorkOut)
def do_work(request: HttpRequest, asked: Query[WorkQuery]) -> dict[str, object]:
    for _ in range(asked.calls):
        upstream.profile(asked.start)
    computed = work.compute(asked.compute_ms)
    post = None
    ident = asked.start
    for _ in range(asked.queries):
        post = POSTS.filter(pk=ident).first()
        if post is None:
            raise HttpError(404, "No such post.")
        ident = post.author_id
    if asked.writes:
        touch(asked.start, asked.writes)
    posts = list(POSTS.order_by("id")[: asked.items]) if asked.items else []
    return {"post": post, "posts": posts, "computed": computed}
