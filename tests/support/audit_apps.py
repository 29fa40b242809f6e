"""Two tiny WSGI blogs for testing the audit: one does everything wrong, one everything right.

Both implement just enough of the contract and of audit/WEB_CONTRACT.md for every probe to
reach a verdict. `vulnerable` builds SQL from strings, echoes markup, shows tracebacks, trusts
any Host and Origin and stores MD5; `safe` is the reference the web contract describes.
Served by gunicorn (one sync worker: the in-memory sessions live in that one process).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import os
import re
import secrets
import sqlite3
import time
import traceback
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

Start = Callable[..., Any]
PBKDF2_ITERATIONS = 600_000
SAFE_HOSTS = ("127.0.0.1", "localhost")
HOME_PER_SECOND = 15
SAFE_HEADERS = [
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
]
VULNERABLE_HEADERS = [
    ("X-Powered-By", "BlogKit/1.2.3 Python/3.11"),
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Credentials", "true"),
]


def hash_safe(password: str) -> str:
    """Django's pbkdf2_sha256 format, at OWASP's iteration count."""
    salt = secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), PBKDF2_ITERATIONS)
    return f"pbkdf2_sha256${PBKDF2_ITERATIONS}${salt}${base64.b64encode(digest).decode()}"


def verify_safe(password: str, stored: str) -> bool:
    _, iterations, salt, expected = stored.split("$")
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(iterations))
    return hmac.compare_digest(base64.b64encode(digest).decode(), expected)


def hash_vulnerable(password: str) -> str:
    return hashlib.md5(password.encode()).hexdigest()


class Blog:
    def __init__(self, safe: bool) -> None:
        self.safe = safe
        self.sessions: dict[str, dict[str, str]] = {}
        self.home_hits: list[float] = []
        """When "/" was asked for: the safe blog allows `HOME_PER_SECOND` a second."""

    # -- plumbing -------------------------------------------------------------------------
    def db(self) -> sqlite3.Connection:
        path = os.environ["FRAMEMATRIX_DB_URL"].removeprefix("sqlite:///")
        conn = sqlite3.connect(path, timeout=30)
        conn.row_factory = sqlite3.Row
        return conn

    def __call__(self, environ: dict[str, Any], start: Start) -> Iterable[bytes]:
        try:
            status, headers, body = self.handle(environ)
        except Exception:
            if self.safe:
                status, headers, body = 500, [], b'{"detail": "internal error"}'
            else:
                status, headers, body = 500, [], traceback.format_exc().encode()
        if not any(k == "Content-Type" for k, _ in headers):
            kind = "application/json" if body.startswith((b"{", b"[")) else "text/html"
            headers.append(("Content-Type", f"{kind}; charset=utf-8"))
        if self.safe:
            headers += SAFE_HEADERS
            if environ.get("HTTP_X_FORWARDED_PROTO") == "https":
                hsts = "max-age=31536000; includeSubDomains; preload"
                headers.append(("Strict-Transport-Security", hsts))
        else:
            headers += VULNERABLE_HEADERS
        start(f"{status} {'OK' if status < 400 else 'Error'}", headers)
        return [body]

    def handle(self, env: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
        method, path = env["REQUEST_METHOD"], env["PATH_INFO"]
        if self.safe:
            host = env.get("HTTP_HOST", "").rsplit(":", 1)[0]
            if host not in SAFE_HOSTS:
                return 400, [], b'{"detail": "bad host"}'
            https = env.get("HTTP_X_FORWARDED_PROTO") == "https"
            if not https and path != "/health":
                return 301, [("Location", f"https://{env['HTTP_HOST']}{path}")], b""
            if path == "/" and self.limited():
                return 429, [("Retry-After", "1")], b'{"detail": "slow down"}'
        for pattern, methods, view in self.routes():
            match = re.fullmatch(pattern, path)
            if match:
                if method not in methods and self.safe:
                    return 405, [("Allow", ", ".join(methods))], b'{"detail": "method"}'
                return view(env, *match.groups())
        return 404, [], b'{"detail": "not found"}'

    def limited(self) -> bool:
        """A one-second sliding window on "/": a burst is refused, the probes' own visits not."""
        now = time.monotonic()
        self.home_hits = [t for t in self.home_hits if now - t < 1.0] + [now]
        return len(self.home_hits) > HOME_PER_SECOND

    def routes(self) -> list[tuple[str, tuple[str, ...], Callable[..., Any]]]:
        return [
            ("/health", ("GET",), lambda env: (200, [], b'{"status": "ok"}')),
            ("/authors", ("POST",), self.create_author),
            (r"/authors/(\d+)", ("GET",), self.get_author),
            ("/posts", ("GET", "POST"), self.posts),
            (r"/posts/(\d+)", ("GET",), self.get_post),
            ("/", ("GET",), self.home),
            (r"/posts/([^/]+)/view", ("GET",), self.view),
            ("/login", ("GET", "POST"), self.login),
            ("/posts/new", ("GET", "POST"), self.new_post),
        ]

    def text(self, value: str) -> str:
        return html.escape(value) if self.safe else value

    @staticmethod
    def read(env: dict[str, Any]) -> bytes:
        return env["wsgi.input"].read(int(env.get("CONTENT_LENGTH") or 0))

    def form(self, env: dict[str, Any]) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.read(env).decode()).items()}

    def session(self, env: dict[str, Any]) -> tuple[str | None, dict[str, str]]:
        cookie = SimpleCookie(env.get("HTTP_COOKIE", ""))
        sid = cookie["session"].value if "session" in cookie else None
        return sid, self.sessions.get(sid or "", {})

    def cookie(self, name: str, value: str, httponly: bool = True) -> tuple[str, str]:
        flags = "; Secure; SameSite=Lax" + ("; HttpOnly" if httponly else "")
        return ("Set-Cookie", f"{name}={value}; Path=/" + (flags if self.safe else ""))

    # -- JSON API -------------------------------------------------------------------------
    def create_author(self, env: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
        raw = self.read(env)
        if self.safe:
            try:
                data = json.loads(raw)
            except ValueError:
                return 400, [], b'{"detail": "invalid JSON"}'
        else:
            data = json.loads(raw)
        with self.db() as conn:
            if self.safe:
                sql, args = (
                    "INSERT INTO authors (name, email) VALUES (?, ?)",
                    (data["name"], data["email"]),
                )
                cur = conn.execute(sql, args)
            else:
                values = f"('{data['name']}', '{data['email']}')"
                cur = conn.execute(f"INSERT INTO authors (name, email) VALUES {values}")
        return self.get_author(env, str(cur.lastrowid), status=201)

    def get_author(
        self, env: dict[str, Any], author_id: str, status: int = 200
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        with self.db() as conn:
            row = conn.execute(
                "SELECT id, name, email FROM authors WHERE id = ?", (int(author_id),)
            ).fetchone()
        if row is None:
            return 404, [], b'{"detail": "not found"}'
        return status, [], json.dumps(dict(row)).encode()

    def posts(self, env: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
        if env["REQUEST_METHOD"] == "POST":
            data = json.loads(self.read(env))
            now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
            with self.db() as conn:
                sql = (
                    "INSERT INTO posts (title, content, author_id, created_at) VALUES (?, ?, ?, ?)"
                )
                if self.safe:
                    cur = conn.execute(
                        sql, (data["title"], data["content"], data["author_id"], now)
                    )
                else:
                    cur = conn.execute(
                        f"INSERT INTO posts (title, content, author_id, created_at) VALUES "
                        f"('{data['title']}', '{data['content']}', {data['author_id']}, '{now}')"
                    )
            return self.get_post(env, str(cur.lastrowid), status=201)
        query = {k: v[0] for k, v in parse_qs(env.get("QUERY_STRING", "")).items()}
        for name in ("limit", "author_id"):
            if self.safe and name in query and not query[name].isdigit():
                return (
                    422,
                    [],
                    json.dumps({"detail": [{"loc": ["query", name], "msg": "int"}]}).encode(),
                )
        where = ""
        if "author_id" in query:
            where = f"WHERE p.author_id = {query['author_id']}"  # safe: checked digits above
        limit = int(query.get("limit", "20")) if self.safe else query.get("limit", "20")
        with self.db() as conn:
            rows = conn.execute(
                f"SELECT p.id, p.title, a.id AS author FROM posts p JOIN authors a "
                f"ON a.id = p.author_id {where} ORDER BY p.id LIMIT {limit}"
            ).fetchall()
        out = [{"id": r["id"], "title": r["title"], "author": {"id": r["author"]}} for r in rows]
        return 200, [], json.dumps(out).encode()

    def get_post(
        self, env: dict[str, Any], post_id: str, status: int = 200
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        with self.db() as conn:
            row = conn.execute(
                "SELECT p.id, title, content, a.id AS aid, a.name, a.email, created_at "
                "FROM posts p JOIN authors a ON a.id = p.author_id WHERE p.id = ?",
                (int(post_id),),
            ).fetchone()
        if row is None:
            return 404, [], b'{"detail": "not found"}'
        author = {"id": row["aid"], "name": row["name"], "email": row["email"]}
        post = {
            "id": row["id"],
            "title": row["title"],
            "content": row["content"],
            "author": author,
            "created_at": row["created_at"].replace(" ", "T") + "Z",
        }
        return status, [("Location", f"/posts/{row['id']}")], json.dumps(post).encode()

    # -- web side -------------------------------------------------------------------------
    def home(self, env: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
        with self.db() as conn:
            rows = conn.execute("SELECT id, title FROM posts ORDER BY id DESC LIMIT 20").fetchall()
        items = "".join(
            f'<li><a href="/posts/{r["id"]}/view">{self.text(r["title"])}</a></li>' for r in rows
        )
        return 200, [], f"<html><body><ul>{items}</ul></body></html>".encode()

    def view(self, env: dict[str, Any], post_id: str) -> tuple[int, list[tuple[str, str]], bytes]:
        if self.safe and not post_id.isdigit():
            return 404, [], b"<p>not found</p>"
        with self.db() as conn:
            row = conn.execute(
                "SELECT title, content FROM posts WHERE id = ?", (int(post_id),)
            ).fetchone()
        if row is None:
            return 404, [], b"<p>not found</p>"
        page = f"<h1>{self.text(row['title'])}</h1><div>{self.text(row['content'])}</div>"
        return 200, [], page.encode()

    def login(self, env: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
        if env["REQUEST_METHOD"] == "GET":
            token = secrets.token_urlsafe(16)
            hidden = f'<input type="hidden" name="csrf_token" value="{token}">' if self.safe else ""
            page = (
                f'<form method="post" action="/login">{hidden}<input name="username">'
                f'<input type="password" name="password"><button>Log in</button></form>'
            )
            return 200, [self.cookie("csrftoken", token, httponly=False)], page.encode()
        form = self.form(env)
        cookie = SimpleCookie(env.get("HTTP_COOKIE", ""))
        if self.safe and not self.token_ok(form, cookie):
            return 403, [], b"<p>CSRF token missing or wrong</p>"
        with self.db() as conn:
            if self.safe:
                row = conn.execute(
                    "SELECT id, password_hash FROM users WHERE username = ?",
                    (form.get("username", ""),),
                ).fetchone()
                ok = row is not None and verify_safe(form.get("password", ""), row["password_hash"])
            else:
                row = conn.execute(
                    f"SELECT id FROM users WHERE username = '{form.get('username')}' "
                    f"AND password_hash = '{hash_vulnerable(form.get('password', ''))}'"
                ).fetchone()
                ok = row is not None
        if not ok:
            return 200, [], b"<p>wrong user name or password</p>"
        sid, token = secrets.token_urlsafe(24), secrets.token_urlsafe(16)
        self.sessions[sid] = {"user_id": str(row["id"]), "csrf": token}
        cookies = [self.cookie("session", sid), self.cookie("csrftoken", token, httponly=False)]
        return 303, [("Location", "/"), *cookies], b""

    def token_ok(self, form: dict[str, str], cookie: SimpleCookie) -> bool:
        sent = form.get("csrf_token", "")
        expected = cookie["csrftoken"].value if "csrftoken" in cookie else ""
        return bool(sent) and hmac.compare_digest(sent, expected)

    def new_post(self, env: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
        _, session = self.session(env)
        if not session:
            return 303, [("Location", "/login")], b""
        if env["REQUEST_METHOD"] == "GET":
            hidden = (
                f'<input type="hidden" name="csrf_token" value="{session["csrf"]}">'
                if self.safe
                else ""
            )
            fields = '<input name="title"><textarea name="content"></textarea>'
            page = f'<form method="post">{hidden}{fields}</form>'
            return 200, [], page.encode()
        form = self.form(env)
        if self.safe and form.get("csrf_token") != session["csrf"]:
            return 403, [], b"<p>CSRF token missing or wrong</p>"
        with self.db() as conn:
            author = conn.execute(
                "SELECT author_id FROM users WHERE id = ?", (int(session["user_id"]),)
            ).fetchone()[0]
            now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
            cur = conn.execute(
                "INSERT INTO posts (title, content, author_id, created_at) VALUES (?, ?, ?, ?)",
                (form.get("title", ""), form.get("content", ""), author, now),
            )
        return 303, [("Location", f"/posts/{cur.lastrowid}/view")], b""


vulnerable = Blog(safe=False)
safe = Blog(safe=True)
