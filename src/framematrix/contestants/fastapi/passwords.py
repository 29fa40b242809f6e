"""Password hashing as FastAPI's security tutorial does it: pwdlib's recommended hasher (Argon2id).

Also the audit's hook (audit/WEB_CONTRACT.md): `hash_password` makes what the login verifies.
"""

from __future__ import annotations

from pwdlib import PasswordHash

password_hash = PasswordHash.recommended()


def hash_password(password: str) -> str:
    return password_hash.hash(password)


def verify_password(password: str, hashed: str) -> bool:
    return password_hash.verify(password, hashed)
