"""The upstream's answer for one id: a small JSON object, the same for the same id every time.

Shared by the service (which sends it) and the contract suite (which checks that a contestant
passed it on unchanged). It mixes JSON's types (a nested object, a list, a float, a boolean,
null, non-ASCII text), so a contestant that rebuilds rather than passes on the object shows.
"""

from __future__ import annotations

import json
from typing import Any

LANGUAGES = ("en", "fr", "de", "ja", "pt")


def profile_for(ident: str) -> dict[str, Any]:
    """The profile of `ident` (the path segment after /profiles/, digits)."""
    number = int(ident)
    return {
        "id": number,
        "handle": f"author-{number}",
        "bio": f"Écrit des billets n° {number} — 作者",
        "followers": number * 7919 % 100_003,
        "score": round((number * 37 % 1000) / 8, 3),
        "verified": number % 3 == 0,
        "languages": [LANGUAGES[number % 5], LANGUAGES[(number + 2) % 5]],
        "links": {"site": f"https://example.org/~{number}", "feed": None},
    }


def encoded_profile(ident: str) -> bytes:
    """The profile as the service sends it: UTF-8 JSON."""
    return json.dumps(profile_for(ident), ensure_ascii=False).encode()
