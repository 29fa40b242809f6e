"""The minimal Django, Django REST framework and Django Ninja apps: one Django project as
`startproject` makes it (its settings and its admin URL), a database in memory, Django's own
`Group` model as the thirty items (no app of ours), and each framework's plainest list view at
`/items/`. A battery switched on adds exactly the lines its `Framework.switches` shows.

Django's settings are process-wide: `configure` runs once, in the interpreter `__main__` starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

from framematrix.measure.batteries.framework import Framework
from framematrix.measure.batteries.probes import COUNT, PASSWORD, USER
from framematrix.measure.testclient.setups import ADAPTERS, Send, Sent

CONTRIB = ("admin", "auth", "contenttypes", "sessions", "messages", "staticfiles")
MIDDLEWARE = (
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
)
PROCESSORS = ("request", "auth", "messages")


def _urlconf(urls: list[Any]) -> ModuleType:
    """A URLconf module made in memory (Django caches resolvers by module)."""
    module = ModuleType("batteries_urls")
    module.urlpatterns = urls  # type: ignore[attr-defined]
    return module


def configure() -> None:
    """`startproject`'s settings (a fast password hasher aside), DRF and
    Ninja installed, the items and the user made."""
    import django
    from django.conf import settings
    from django.core.management import call_command

    settings.configure(
        SECRET_KEY="batteries-probe",
        ALLOWED_HOSTS=["testserver"],
        INSTALLED_APPS=[*(f"django.contrib.{app}" for app in CONTRIB), "rest_framework", "ninja"],
        MIDDLEWARE=list(MIDDLEWARE),
        ROOT_URLCONF=_urlconf([]),
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        f"django.{'template' if p == 'request' else 'contrib.' + p}"
                        f".context_processors.{p}"
                        for p in PROCESSORS
                    ]
                },
            }
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        STATIC_URL="static/",
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        # What Django's testing docs advise: the default hasher's million PBKDF2 rounds cost a
        # second a login and prove nothing about whether a login is served.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    django.setup()
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import Group, User

    Group.objects.bulk_create(Group(name=f"item-{i:02}") for i in range(1, COUNT + 1))
    User.objects.create_superuser(USER, password=PASSWORD)


def _serve(urls: list[Any], client: type | None = None) -> Send:
    """A fresh test client (Django's unless `client`) on the project with these URLs besides
    the admin's."""
    from django.contrib import admin
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import clear_url_caches, path

    override_settings(ROOT_URLCONF=_urlconf([path("admin/", admin.site.urls), *urls])).enable()
    clear_url_caches()
    return ADAPTERS["django"]((client or Client)())


def django(battery: str | None) -> Send:
    from django.contrib.auth.decorators import login_required
    from django.contrib.auth.models import Group
    from django.http import HttpRequest, JsonResponse
    from django.urls import path

    def items(request: HttpRequest) -> JsonResponse:
        return JsonResponse(list(Group.objects.order_by("id").values("id", "name")), safe=False)

    view = login_required(items) if battery == "permissions" else items
    return _serve([path("items/", view)])


DRF_SWITCHES = {
    "pagination": ("pagination_class = LimitOffsetPagination",),
    "filtering": ("filter_backends = [SearchFilter]", 'search_fields = ["name"]'),
    "permissions": ("permission_classes = [IsAuthenticated]",),
    "openapi": ('path("openapi.json", get_schema_view())',),
    "crud": (
        "class Items(ModelViewSet) instead of ListAPIView",
        "router = DefaultRouter()",
        'router.register("items", Items)',
        'path("", include(router.urls))',
    ),
}


def drf(battery: str | None) -> Send:
    from django.contrib.auth.models import Group
    from django.urls import include, path
    from rest_framework import generics, serializers, viewsets
    from rest_framework.filters import SearchFilter
    from rest_framework.pagination import LimitOffsetPagination
    from rest_framework.permissions import IsAuthenticated
    from rest_framework.routers import DefaultRouter
    from rest_framework.test import APIClient

    class Item(serializers.ModelSerializer):  # type: ignore[misc]
        class Meta:
            model = Group
            fields = ("id", "name")

    switched: dict[str, dict[str, Any]] = {
        "pagination": {"pagination_class": LimitOffsetPagination},
        "filtering": {"filter_backends": [SearchFilter], "search_fields": ["name"]},
        "permissions": {"permission_classes": [IsAuthenticated]},
    }
    body = {"queryset": Group.objects.order_by("id"), "serializer_class": Item}
    body |= switched.get(battery or "", {})
    if battery == "crud":
        router = DefaultRouter()
        router.register("items", type("Items", (viewsets.ModelViewSet,), body))
        return _serve([path("", include(router.urls))], APIClient)
    listed: Any = type("Items", (generics.ListAPIView,), body)
    urls = [path("items/", listed.as_view())]
    if battery == "openapi":
        from rest_framework.schemas import get_schema_view

        urls.append(path("openapi.json", get_schema_view()))
    return _serve(urls, APIClient)


NINJA_SWITCHES = {
    "pagination": ("@paginate",),
    "filtering": (
        "class ItemFilter(FilterSchema):",
        "name: str | None = None",
        "filters: Query[ItemFilter] in the view, which returns filters.filter(queryset)",
    ),
    "permissions": ("auth=django_auth",),
}


def ninja(battery: str | None) -> Send:
    """Through Django's client in the project; the test client through Ninja's own."""
    from django.urls import path
    from ninja.testing import TestClient

    from framematrix.measure.batteries import apps_ninja

    made = apps_ninja.api(battery)
    if battery != "test client":
        return _serve([path("", made.urls)])
    client = TestClient(made)

    def send(method: str, to: str, headers: Mapping[str, str], body: bytes | None) -> Sent:
        answer = client.request(method, to, headers=dict(headers))
        return answer.status_code, (), answer.content

    return send


USERS = "django.contrib.auth: users, password hashing, the admin's login"
ABSENT = {
    "crud": "a view per operation (or DRF)",
    "pagination": "django.core.paginator: the view pages by hand",
    "filtering": "the view filters by hand (or django-filter)",
    "openapi": "no schema of JSON views (DRF or Ninja)",
    "docs": "no API docs (django.contrib.admindocs documents templates and models)",
}
FRAMEWORKS = (
    Framework(
        "django",
        "django",
        django,
        {"permissions": ("@login_required",), "test client": ("client = Client()",)},
        ABSENT,
    ),
    Framework(
        "drf",
        "djangorestframework",
        drf,
        {**DRF_SWITCHES, "test client": ("client = APIClient()",)},
        {
            "docs": "drf-spectacular, drf-yasg (DRF's own browsable API is HTML, not API docs)",
            "filtering": "SearchFilter is DRF's; per-field filters need django-filter",
        },
        {"openapi": ("uritemplate", "inflection", "pyyaml")},
    ),
    Framework(
        "django-ninja",
        "django-ninja",
        ninja,
        {**NINJA_SWITCHES, "test client": ("client = TestClient(api)",)},
        {"crud": "a handler per operation (or the ninja-crud package)"},
    ),
)
