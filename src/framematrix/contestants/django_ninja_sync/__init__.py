"""The Django Ninja contestant, sync: the `django_ninja` API (its schemas, parameters and error
handling) with plain `def` operations on Django's ORM, over WSGI like the `django` contestant,
on the same project settings, persistent connections included."""
