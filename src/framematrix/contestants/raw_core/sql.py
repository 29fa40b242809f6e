"""The SQL text of every endpoint: one parameterised statement each, for SQLite and PostgreSQL.

Every request costs at most one round trip. Writes use RETURNING (with the author's columns
fetched by subqueries, so the new post comes back already nested); PATCH uses COALESCE, so a
missing field (None; JSON null is never valid) keeps its stored value. Timestamps are formatted
as RFC 3339 in UTC by the database itself, so no datetime object is built per row. The
placeholder is the driver's own (`?` sqlite3/aiosqlite, `%s` psycopg, `$n` asyncpg), so every
driver can prepare and cache the statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Dialect = Literal["sqlite", "postgresql"]
Placeholder = Literal["?", "%s", "$n"]

_CREATED = {
    "sqlite": "strftime('%Y-%m-%dT%H:%M:%fZ', {column})",
    "postgresql": "to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
}
_NOW = {"sqlite": "strftime('%Y-%m-%d %H:%M:%f', 'now')", "postgresql": "now()"}

AUTHOR = "id, name, email"
"""Author rows are (id, name, email)."""


@dataclass(frozen=True)
class Statements:
    """Post rows are (id, title, content, author id, author name, author email, created_at)."""

    list_authors: str
    get_author: str
    create_author: str
    replace_author: str
    update_author: str
    delete_author: str
    list_posts: str
    list_posts_by_author: str
    get_post: str
    create_post: str
    replace_post: str
    update_post: str
    delete_post: str
    touch_post: str
    """`GET /work`'s write: the row rewritten as it is (RULES.md 40)."""


def statements(dialect: Dialect, placeholder: Placeholder) -> Statements:
    select_post = (
        "SELECT p.id, p.title, p.content, a.id, a.name, a.email, "
        + _CREATED[dialect].format(column="p.created_at")
        + " FROM posts p JOIN authors a ON a.id = p.author_id"
    )
    author_of = "(SELECT {0} FROM authors a WHERE a.id = posts.author_id)"
    returning_post = (
        " RETURNING id, title, content, author_id, "
        + author_of.format("a.name")
        + ", "
        + author_of.format("a.email")
        + ", "
        + _CREATED[dialect].format(column="created_at")
    )
    texts = Statements(
        list_authors=f"SELECT {AUTHOR} FROM authors ORDER BY id LIMIT ? OFFSET ?",
        get_author=f"SELECT {AUTHOR} FROM authors WHERE id = ?",
        create_author=f"INSERT INTO authors (name, email) VALUES (?, ?) RETURNING {AUTHOR}",
        replace_author=f"UPDATE authors SET name = ?, email = ? WHERE id = ? RETURNING {AUTHOR}",
        update_author=(
            "UPDATE authors SET name = COALESCE(?, name), email = COALESCE(?, email) "
            f"WHERE id = ? RETURNING {AUTHOR}"
        ),
        delete_author="DELETE FROM authors WHERE id = ? RETURNING id",
        list_posts=f"{select_post} ORDER BY p.id LIMIT ? OFFSET ?",
        list_posts_by_author=f"{select_post} WHERE p.author_id = ? ORDER BY p.id LIMIT ? OFFSET ?",
        get_post=f"{select_post} WHERE p.id = ?",
        create_post=(
            "INSERT INTO posts (title, content, author_id, created_at) "
            f"VALUES (?, ?, ?, {_NOW[dialect]})" + returning_post
        ),
        replace_post=(
            "UPDATE posts SET title = ?, content = ?, author_id = ? WHERE id = ?" + returning_post
        ),
        update_post=(
            "UPDATE posts SET title = COALESCE(?, title), content = COALESCE(?, content), "
            "author_id = COALESCE(?, author_id) WHERE id = ?" + returning_post
        ),
        delete_post="DELETE FROM posts WHERE id = ? RETURNING id",
        touch_post="UPDATE posts SET title = title WHERE id = ?",
    )
    if placeholder == "?":
        return texts
    return Statements(**{name: _marks(sql, placeholder) for name, sql in vars(texts).items()})


def _marks(sql: str, placeholder: Placeholder) -> str:
    """Swap each `?` for the driver's placeholder (no statement has a literal `?`)."""
    pieces = sql.split("?")
    if placeholder == "%s":
        return "%s".join(pieces)
    out = [pieces[0]]
    for number, piece in enumerate(pieces[1:], start=1):
        out.append(f"${number}{piece}")
    return "".join(out)
