"""`GET /work` (RULES.md 36-42) as an `async def` operation on Django's async ORM.

The upstream calls are gathered on the loop. Django's async ORM has no transactions: its
documentation says to write the transactional part as one synchronous function and call it
through `sync_to_async`, which is what `touch` is for (the sync flavour calls it directly).
"""

from __future__ import annotations

import asyncio

from asgiref.sync import sync_to_async
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from framematrix.contestants.django.models import Post
from framematrix.contestants.django_ninja import upstream
from framematrix.contestants.django_ninja.params import WorkQuery
from framematrix.contestants.django_ninja.schemas import WorkOut
from framematrix.contract import work

router = Router(tags=["work"])
POSTS = Post.objects.select_related("author")


def touch(start: int, writes: int) -> None:
    """The writes: one `update()` per post, all in one `atomic()` block."""
    with transaction.atomic():
        for offset in range(writes):
            Post.objects.filter(pk=start + offset).update(title=F("title"))


@router.get("", response=WorkOut)
async def do_work(request: HttpRequest, asked: Query[WorkQuery]) -> dict[str, object]:
    await asyncio.gather(*(upstream.profile(asked.start) for _ in range(asked.calls)))
    computed = work.compute(asked.compute_ms)
    post = None
    ident = asked.start
    for _ in range(asked.queries):
        post = await POSTS.filter(pk=ident).afirst()
        if post is None:
            raise HttpError(404, "No such post.")
        ident = post.author_id
    if asked.writes:
        await sync_to_async(touch)(asked.start, asked.writes)
    posts = [item async for item in POSTS.order_by("id")[: asked.items]] if asked.items else []
    return {"post": post, "posts": posts, "computed": computed}
