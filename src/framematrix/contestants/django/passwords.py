"""The audit's hook (audit/WEB_CONTRACT.md): a password hashed as this contestant's login checks it.

That is Django's `make_password` under these settings (PASSWORD_HASHERS' first entry, PBKDF2 by
default), the same call that `createsuperuser` and `set_password` make.
"""

from __future__ import annotations

import os

import django


def hash_password(password: str) -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "framematrix.contestants.django.settings")
    django.setup()
    from django.contrib.auth.hashers import make_password

    return make_password(password)
