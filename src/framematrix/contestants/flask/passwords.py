"""The audit's hook (audit/WEB_CONTRACT.md): a password hashed as this contestant's login checks it.

Werkzeug's `generate_password_hash` with its default method, as Flask's tutorial stores passwords;
the login verifies with `check_password_hash`. Both profiles hash alike.
"""

from __future__ import annotations

from werkzeug.security import generate_password_hash


def hash_password(password: str) -> str:
    return generate_password_hash(password)
