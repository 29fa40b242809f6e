"""URLs: the router's resources without trailing slashes, the health check, the pages, JSON
error views. Page names start with `page-`: the router already names `post-detail`."""

from django.contrib.auth.views import LoginView
from django.urls import path
from rest_framework.routers import SimpleRouter

from framematrix.contestants.django import images, pages, views, work

router = SimpleRouter(trailing_slash=False)
router.register("authors", views.AuthorViewSet)
router.register("posts", views.PostViewSet)

urlpatterns = [
    path("health", views.health),
    *router.urls,
    path("images/<str:name>", images.resize_image),
    path("work", work.do_work),
    path("", pages.home, name="page-home"),
    path("posts/<int:pk>/view", pages.post_detail, name="page-post"),
    path("posts/new", pages.post_new, name="page-new-post"),
    path("login", LoginView.as_view(template_name="login.html"), name="page-login"),
]

handler400 = "framematrix.contestants.django.exceptions.bad_request"
handler403 = "framematrix.contestants.django.exceptions.permission_denied"
handler404 = "framematrix.contestants.django.exceptions.page_not_found"
handler500 = "framematrix.contestants.django.exceptions.server_error"
