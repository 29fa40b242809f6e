"""The Flask config object: everything the app reads, derived from FRAMEMATRIX_DB_URL."""

from __future__ import annotations

import os
import secrets
from typing import Literal

from framematrix.db.url import DatabaseURL

MAX_BODY_BYTES = 1024 * 1024
Profile = Literal["default", "hardened"]


def profile_from_env() -> Profile:
    """FRAMEMATRIX_PROFILE: `default` (also when unset) or `hardened` (see security.py)."""
    profile = os.environ.get("FRAMEMATRIX_PROFILE") or "default"
    if profile not in ("default", "hardened"):
        raise ValueError(f"FRAMEMATRIX_PROFILE must be default or hardened, not {profile!r}")
    return profile  # type: ignore[return-value]  # checked just above


class Settings:
    """Loaded with `app.config.from_object()`; only upper-case attributes become config keys."""

    MAX_CONTENT_LENGTH = MAX_BODY_BYTES
    """Werkzeug answers 413 itself for a larger body, before any view reads it."""

    def __init__(self, db_url: DatabaseURL) -> None:
        self.SQLALCHEMY_DATABASE_URI = db_url.sqlalchemy(asyncio=False)
        # Signs the session cookie. `from_prefixed_env()` replaces it with FLASK_SECRET_KEY when
        # set, which several workers need to share one login; a per-process key serves one.
        self.SECRET_KEY = secrets.token_urlsafe(32)
