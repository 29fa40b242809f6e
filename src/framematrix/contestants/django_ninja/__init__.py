"""The Django Ninja contestant, async: a `NinjaAPI` with one router per resource, `Schema`s, and
`async def` operations on Django's async ORM, served over ASGI, on the `django` contestant's
project settings and models (`django_ninja_sync` is the same API with plain `def` operations,
over WSGI)."""
