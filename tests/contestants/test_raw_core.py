"""The baselines' shared core, without I/O: routing, input rules and SQL text.

The contract suite checks the same rules over HTTP against the running baselines; these tests
pin the edge cases of the hand-written checks, which no framework validates for them.
"""

from __future__ import annotations

import pytest

from framematrix.contestants.raw_core import Api, Response, Step
from framematrix.contestants.raw_core.sql import statements
from framematrix.contestants.raw_core.validate import json_object, path_id

API = Api("sqlite", "?")


def answer(method: str, path: str, query: str = "", body: bytes = b"") -> Response:
    result = API.handle(method, path, query, body)
    assert isinstance(result, Response), result
    return result


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", 1), ("007", 7), ("2147483647", 2147483647), ("0", None), ("-1", None),
     ("1.5", None), ("abc", None), ("", None), ("2147483648", None), ("9" * 5000, None),
     (" 1", None), ("+1", None), ("\u0661", None), ("²", None)],
)  # fmt: skip
def test_path_ids_are_decimal_and_in_range(text: str, expected: int | None) -> None:
    assert path_id(text) == expected


@pytest.mark.parametrize(
    "body", [b"{", b"\xff{}", b"[]", b'"x"', b"NaN", b'{"a": Infinity}', "{}".encode("utf-16")]
)
def test_bodies_that_are_not_utf8_json_objects_are_400(body: bytes) -> None:
    result = json_object(body)
    assert isinstance(result, Response) and result.status == 400


def test_a_huge_integer_is_a_rule_break_not_a_crash() -> None:
    body = b'{"title": "t", "content": "", "author_id": ' + b"9" * 5000 + b"}"
    result = answer("POST", "/posts", body=body)
    assert result.status == 422 and b"author_id" in result.body


@pytest.mark.parametrize(
    ("body", "field"),
    [(b'{"name": "a", "email": "a@b.c\\n"}', b"email"),
     (b'{"name": "a", "email": "a b@c.d"}', b"email"),
     (b'{"name": null, "email": "a@b.c"}', b"name"),
     (b'{"name": "a\\u0000", "email": "a@b.c"}', b"name"),
     (b'{"name": "\\ud800", "email": "a@b.c"}', b"name"),
     (b'{"name": "' + "é".encode() * 101 + b'", "email": "a@b.c"}', b"name"),
     (b'{"name": "a", "email": "a@b.c", "nickname": "x"}', b"nickname"),
     (b'{"name": "a"}', b"email")],
)  # fmt: skip
def test_author_rules_name_the_broken_field(body: bytes, field: bytes) -> None:
    result = answer("POST", "/authors", body=body)
    assert result.status == 422 and b'"body","' + field + b'"' in result.body


def test_strict_types_and_empty_patch() -> None:
    for value in (b"true", b'"5"', b"5.0"):
        body = b'{"title": "t", "content": "", "author_id": ' + value + b"}"
        assert answer("POST", "/posts", body=body).status == 422
    assert b'"loc":["body"]' in answer("PATCH", "/posts/1", body=b"{}").body


def test_a_valid_write_becomes_one_statement() -> None:
    body = '{"name": "é" , "email": "x@y.z"}'.encode()
    step = API.handle("PATCH", "/authors/3", "", body)
    assert isinstance(step, Step) and step.params == ("é", "x@y.z", 3)
    assert step.finish([]).status == 404


@pytest.mark.parametrize("path", ["/authors/", "/posts/1/", "/nope", "//authors", "/authors/1/x"])
def test_unknown_paths_are_404(path: str) -> None:
    assert answer("GET", path).status == 404


def test_other_methods_are_405_with_allow() -> None:
    assert dict(answer("DELETE", "/authors").headers)["Allow"] == "GET, POST"
    assert dict(answer("POST", "/posts/1").headers)["Allow"] == "GET, PUT, PATCH, DELETE"
    assert dict(answer("PUT", "/health").headers)["Allow"] == "GET"


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=", "offset=-1", "limit=1e2"])
def test_query_integers_out_of_rules_are_422(query: str) -> None:
    result = answer("GET", "/authors", query)
    assert result.status == 422 and b'"query"' in result.body


def test_unknown_query_parameters_are_ignored_and_the_last_value_wins() -> None:
    step = API.handle("GET", "/posts", "x=1&limit=5&limit=7&author_id=%32", b"")
    assert isinstance(step, Step) and step.params == (2, 7, 0)


def test_placeholders_follow_each_driver() -> None:
    asyncpg = statements("postgresql", "$n")
    assert asyncpg.update_post.count("$") == 4 and "$4" in asyncpg.update_post
    assert "?" not in statements("postgresql", "%s").list_posts_by_author
    assert "JOIN authors" in statements("sqlite", "?").list_posts
