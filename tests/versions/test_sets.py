"""Version sets as the command line gives them: parsed, or refused in one line; their identity
in trial names and stored records."""

from __future__ import annotations

from pathlib import Path

import pytest

from framematrix.errors import FramematrixError
from framematrix.trials import LoadPoint, TrialPoint, TrialResult, TrialSpec, slug
from framematrix.versions import parse


def test_a_set_is_one_or_more_requirements() -> None:
    assert parse("django==4.2.*").requirements == ("django==4.2.*",)
    assert parse("pydantic>=2.9,<2.10 pydantic-core").names == ("pydantic", "pydantic-core")
    url = parse("django @ git+https://github.com/django/django@main")
    assert url.names == ("django",) and url.direct
    assert not parse("Django==5.2.*").direct and parse("Django==5.2.*").names == ("django",)


def test_a_project_folder_is_named_by_its_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "my-django"\nversion = "1"\n')
    found = parse(f"{tmp_path}/")
    assert found.names == ("my-django",) and found.direct
    assert found.requirements[0].endswith(tmp_path.as_uri())


@pytest.mark.parametrize(
    "text",
    ["", "django==", "git+https://github.com/django/django", "django==4.2 django==5.2",
     "django[argon2]==5.2", "/no/such/folder/"],
)  # fmt: skip
def test_a_bad_set_is_one_line(text: str) -> None:
    with pytest.raises(FramematrixError) as caught:
        parse(text)
    assert "\n" not in str(caught.value) and "--versions" in str(caught.value)


def test_the_set_is_part_of_a_trials_identity() -> None:
    at = LoadPoint("read-one", "postgresql", "builtin", 4, None)
    old, new = (TrialPoint("django", "gunicorn-gthread", at, version_set=v)
                for v in ("django==4.2.*", "django==5.2.*"))  # fmt: skip
    assert old != new and old.who == "django (django==4.2.*)"
    keys = {TrialSpec(p, 0).key for p in (old, new, TrialPoint("django", "gunicorn-gthread", at))}
    assert len(keys) == 3 and "django.gunicorn-gthread.read-one" in "".join(keys)
    assert all("*" not in key and "=" not in key for key in keys)
    stored = TrialResult(TrialSpec(old, 1), ok=True, resolved={"django": "4.2.30"}).to_dict()
    assert stored["version_set"] == "django==4.2.*" and stored["resolved"] == {"django": "4.2.30"}
    assert TrialResult.from_dict(stored).point == old


def test_long_sets_keep_apart_in_file_names() -> None:
    base = "django @ git+https://github.com/django/django@"
    assert slug(base + "main") != slug(base + "stable/5.2.x")
    assert len(slug(base + "main")) <= 40
