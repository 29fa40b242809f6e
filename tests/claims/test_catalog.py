"""The catalogue of every claim: one record each, texts that quote the article's figures (never
a number typed by hand), checks that name a judge for every kind."""

from __future__ import annotations

import re
import string
import tomllib
from importlib import resources
from typing import Any, get_args

import pytest

from framematrix.claims import catalog, kinds
from framematrix.claims.article import ARTICLE, parse
from framematrix.claims.catalog import (
    CATALOGUE,
    AuditCheck,
    Claim,
    RunCheck,
    RunKind,
    Stated,
    VerdictOf,
)

HAND_TYPED = re.compile(r"(?<!\w)\d")
"""A digit that is not part of a name (OAuth2, p95, PBKDF2 and Jinja2 are names)."""


def raw(name: str) -> dict[str, Any]:
    text = resources.files("framematrix.claims").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def by_id(claims: tuple[Claim, ...] = CATALOGUE) -> dict[str, Claim]:
    return {claim.id: claim for claim in claims}


def test_no_claim_types_a_number_by_hand() -> None:
    for claim in raw("catalog.toml")["claim"]:
        check = claim["check"]
        texts = [claim["text"], check.get("how", ""), check.get("used_by", "")]
        for text in texts:
            literal = "".join(part for part, *_ in string.Formatter().parse(text))
            assert not HAND_TYPED.search(literal), (claim["id"], literal)
        numbers = [v for v in check.values() if isinstance(v, int | float)]
        assert not numbers, (claim["id"], numbers)  # a check names its figure by path


def test_the_texts_quote_the_articles_figures() -> None:
    text = {cid: claim.text for cid, claim in by_id().items()}
    for cid, key in (("rps-order", "rps"), ("p95-order", "p95_ms"), ("memory-order", "memory_mb")):
        values = ARTICLE.figure(key).values
        assert " / ".join(f"{values[n]:,.0f}" for n in ("fastapi", "flask", "django")) in text[cid]
    assert "(2,847 / 892 / 743 req/s)" in text["rps-order"]
    lines = ARTICLE.figure("lines_of_code").values
    assert (
        f"(~{lines['django']:.0f} / ~{lines['flask']:.0f} / ~{lines['fastapi']:.0f} lines)"
        in (text["code-order"])
    )
    rps = ARTICLE.figure("rps")
    assert f"{rps.ratio('fastapi', 'django'):.2f}x" in text["rps-fastapi-django"]
    assert f"{rps.ratio('flask', 'django'):.2f}x" in text["rps-flask-django"]
    assert text["fastapi-shines-1000"] == "FastAPI shines at 1,000+ concurrent requests"
    assert f"{kinds.HIGH_RATE:,.0f}+ requests/second" in text["async-for-1000-rps"]
    assert f"{ARTICLE.use_cases['fastapi']['requests_per_second']:,}+" in text["fastapi-10k"]
    hosting = ARTICLE.figure("hosting_usd_per_month")
    for name, usd in hosting.values.items():
        assert (
            f"${usd:,.0f} on {'FastAPI' if name == 'fastapi' else name.title()}"
            in (text["hosting-cost"])
        )
    assert f"({hosting.extra['workers']['django']} workers)" in text["hosting-cost"]
    stars = ARTICLE.figure("security_stars").values
    for name, got in stars.items():
        security = [c.text for c in CATALOGUE if isinstance(c.check, AuditCheck)
                    and c.check.framework == name and c.check.kind == "stars"]  # fmt: skip
        assert security == [f"Security score {got:.0f}/5"]
    assert text["learning-productivity"].startswith("Productive in 2-3 weeks with Django")
    assert "Flask to FastAPI: easy, 1 week;" in text["migration-paths"]
    assert text["growth"] == "Growth 2023-2025: FastAPI +120%, Django +10%, Flask -5%"


def test_every_quoted_figure_is_in_its_text() -> None:
    texts = by_id()
    for claim in raw("catalog.toml")["claim"]:
        for _, field, spec, _ in string.Formatter().parse(claim["text"]):
            if field is not None:
                quoted = catalog.fill("{" + field + (f":{spec}" if spec else "") + "}")
                assert quoted and quoted in texts[claim["id"]].text, (claim["id"], field)


def test_the_texts_and_checks_follow_the_figures() -> None:
    figures = raw("figures.toml")
    figures["figures"]["rps"]["values"]["fastapi"] = 3000
    figures["figures"]["security_stars"]["values"]["django"] = 4
    figures["numbers"]["concurrent_requests"] = 2000
    changed = by_id(catalog.parse(raw("catalog.toml"), parse(figures)))
    assert "(3,000 / 892 / 743 req/s)" in changed["rps-order"].text
    ratio = changed["rps-fastapi-django"]
    assert f"{3000 / 743:.2f}x" in ratio.text
    assert isinstance(ratio.check, RunCheck) and ratio.check.figure == 3000 / 743
    security = changed["security-django-8"]
    assert security.text == "Security score 4/5"
    assert isinstance(security.check, AuditCheck) and security.check.stars == 4
    assert "2,000+" in changed["fastapi-shines-1000"].text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.append(dict(c[0])), "given twice"),
        (lambda c: c[0].update(text="{rps.nobody}"), "nobody"),
        (lambda c: c[0].update(check={"by": "verdict-of", "claim": "flask-middle"}), "no claim"),
        (lambda c: c[0].update(check={"by": "oracle"}), "oracle"),
    ],
)
def test_the_catalogue_refuses_bad_data(change: Any, message: str) -> None:
    data = raw("catalog.toml")
    change(data["claim"])
    with pytest.raises(ValueError, match=message):
        catalog.parse(data)


def test_every_kind_a_run_measures_has_its_judge() -> None:
    assert set(kinds.JUDGES) == set(get_args(RunKind))
    assert {check.kind for _, check in catalog.checked_by(RunCheck)} == set(kinds.JUDGES)


def test_the_ids_the_report_and_the_tests_use_keep_their_checks() -> None:
    found = by_id()
    for cid in ("rps-order", "rps-fastapi-django", "rps-flask-django", "p95-order",
                "memory-order", "fastapi-shines-1000", "async-for-1000-rps", "code-order",
                "websocket-native", "realtime-fastapi", "fastapi-10k"):  # fmt: skip
        assert isinstance(found[cid].check, RunCheck), cid
    assert found["flask-middle"].check == VerdictOf("rps-order")
    assert found["case-fastapi"].check == VerdictOf("fastapi-10k")
    security = [c for c in CATALOGUE if isinstance(c.check, AuditCheck)]
    assert [c.id for c in security] == [f"security-{c.check.framework}-{n}"  # type: ignore[union-attr]
                                        for n, c in enumerate(security)]  # fmt: skip
    assert isinstance(found["for-side-projects"].check, Stated)
