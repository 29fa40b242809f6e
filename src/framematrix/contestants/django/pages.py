"""The server-rendered pages: latest posts, one post, a new post. The login page is Django's.

Function views with Django's shortcuts and decorators; the templates escape every value.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from framematrix.contestants.django.forms import PostForm
from framematrix.contestants.django.models import Post

LATEST = 20


class HttpResponseSeeOther(HttpResponseRedirect):
    """Post/redirect/get with 303, as the web contract asks (Django's `redirect()` is 302)."""

    status_code = 303


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    posts = Post.objects.order_by("-id")[:LATEST]
    return render(request, "home.html", {"posts": posts})


@require_safe
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("author"), pk=pk)
    return render(request, "post.html", {"post": post})


@login_required
@require_http_methods(["GET", "POST"])
def post_new(request: HttpRequest) -> HttpResponse:
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        post = form.save(commit=False)
        post.author_id = request.user.author_id
        post.save()
        return HttpResponseSeeOther(reverse("page-post", args=[post.pk]))
    return render(request, "post_form.html", {"form": form})
