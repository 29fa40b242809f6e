"""Password storage: the audit user's hash as stored, its algorithm and cost, against OWASP.

Minimums are the OWASP Password Storage Cheat Sheet's: Argon2id 19 MiB x 2 passes (or an equal
memory x passes product), scrypt N*p >= 2^17 with r = 8, bcrypt cost 10, PBKDF2-HMAC-SHA256
600,000 iterations (SHA-512: 210,000; SHA-1: 1,300,000).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from framematrix.audit.context import Context
from framematrix.audit.model import ProbeResult
from framematrix.audit.users import AUDIT_PASSWORD, UNUSABLE_HASH, read_hash
from framematrix.db.url import DatabaseURL

NAME = "password-storage"
PBKDF2_MIN = {"sha256": 600_000, "sha512": 210_000, "sha1": 1_300_000}
ARGON2_MIN_MEMORY_X_PASSES = 19_456 * 2
ARGON2_MIN_MEMORY_KIB = 7_168
SCRYPT_MIN_N_X_P = 2**17
BCRYPT_MIN_COST = 10
FAST_HASHES = {32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"}


@dataclass(frozen=True)
class HashInfo:
    algorithm: str
    cost: str
    strong: bool | None
    """None: an algorithm this probe does not know."""


def _argon2(variant: str, params: str) -> HashInfo:
    values = dict(p.split("=", 1) for p in params.split(",") if "=" in p)
    memory, passes = int(values.get("m", 0)), int(values.get("t", 0))
    strong = memory >= ARGON2_MIN_MEMORY_KIB and memory * passes >= ARGON2_MIN_MEMORY_X_PASSES
    return HashInfo(variant, f"m={memory} KiB, t={passes}, p={values.get('p', '?')}", strong)


def _scrypt(n: int, r: int, p: int) -> HashInfo:
    return HashInfo("scrypt", f"N={n}, r={r}, p={p}", r >= 8 and n * p >= SCRYPT_MIN_N_X_P)


def _pbkdf2(digest: str, iterations: int) -> HashInfo:
    minimum = PBKDF2_MIN.get(digest)
    strong = None if minimum is None else iterations >= minimum
    return HashInfo(f"pbkdf2-{digest}", f"{iterations:,} iterations", strong)


def _bcrypt(cost: int) -> HashInfo:
    return HashInfo("bcrypt", f"cost {cost}", cost >= BCRYPT_MIN_COST)


def identify(stored: str) -> HashInfo:
    """Recognise Django, Werkzeug, passlib/pwdlib (modular crypt) and unsalted hex hashes."""
    if stored == AUDIT_PASSWORD:
        return HashInfo("plaintext", "none", False)
    if m := re.fullmatch(r"pbkdf2_(sha\d+)\$(\d+)\$.+", stored):  # Django
        return _pbkdf2(m[1], int(m[2]))
    if m := re.fullmatch(r"pbkdf2:(sha\d+):(\d+)\$.+", stored):  # Werkzeug
        return _pbkdf2(m[1], int(m[2]))
    if m := re.fullmatch(r"\$pbkdf2-(sha\d+)\$(\d+)\$.+", stored):  # passlib
        return _pbkdf2(m[1], int(m[2]))
    if m := re.fullmatch(r"(?:argon2)?\$(argon2(?:id|i|d))\$(?:v=\d+\$)?([^$]+)\$.+", stored):
        return _argon2(m[1], m[2])
    if m := re.fullmatch(r"scrypt:(\d+):(\d+):(\d+)\$.+", stored):  # Werkzeug
        return _scrypt(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"scrypt\$[^$]*\$(\d+)\$(\d+)\$(\d+)\$.+", stored):  # Django
        return _scrypt(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$.+", stored):  # passlib
        return _scrypt(2 ** int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(?:bcrypt(?:_sha256)?\$)?\$2[abxy]?\$(\d+)\$.+", stored):
        return _bcrypt(int(m[1]))
    m = re.fullmatch(r"(?:(md5|sha1)\$[^$]*\$)?([0-9a-fA-F]+)", stored)
    if m and len(m[2]) in FAST_HASHES:
        salted = "salted " if m[1] else ""
        return HashInfo(f"{salted}{FAST_HASHES[len(m[2])]}", "one round", False)
    return HashInfo("unknown", "unknown", None)


def password_storage(ctx: Context) -> ProbeResult:
    if ctx.target.db_url is None:
        return ProbeResult.not_applicable(NAME, "no database URL to read the hash from")
    stored = read_hash(DatabaseURL.parse(ctx.target.db_url))
    if stored is None:
        return ProbeResult.not_applicable(NAME, "no users table or no audit user")
    if stored.startswith(UNUSABLE_HASH):
        return ProbeResult.not_applicable(NAME, "the contestant stores no password (no hook)")
    info = identify(stored)
    data = {"algorithm": info.algorithm, "cost": info.cost}
    found = f"{info.algorithm}, {info.cost}"
    if info.algorithm == "plaintext":
        return ProbeResult(
            NAME, False, "the password is stored in plain text", "password-plaintext", data
        )
    if info.cost == "one round":
        return ProbeResult(NAME, False, f"a fast hash: {found}", "password-fast-hash", data)
    if info.strong is None:
        return ProbeResult.cannot_tell(NAME, f"unrecognised hash format {stored[:20]!r}...")
    if not info.strong:
        return ProbeResult(
            NAME, False, f"{found}: below the OWASP minimum", "password-weak-cost", data
        )
    return ProbeResult(NAME, True, f"{found}: meets the OWASP minimum", "password-ok", data)


PROBES = (password_storage,)
