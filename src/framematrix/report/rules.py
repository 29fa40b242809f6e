"""The verdicts under each rule, side by side: a run that measured its contestants under equal
settings and each at its best (`--tuning equal,best`) judges every claim under both
(`ClaimResult.by_rule`); the terminal, Markdown and JSON show them together, with the
configuration each contestant reached, and every report says which rule its verdicts were
judged under."""

from __future__ import annotations

from collections.abc import Mapping

from framematrix import claims as claim_rules
from framematrix.contestants.registry import ARTICLE_FRAMEWORKS
from framematrix.results.reference import RULES


def title(rule: str) -> str:
    return RULES.get(rule, f"under the {rule} tuning")


def judged_under(rules: tuple[str, ...]) -> str:
    """`under equal settings`, or `under equal settings and each at its best, side by side`."""
    if not rules:
        return "on the server given (--url)"
    named = [title(rule) for rule in rules]
    if len(named) == 1:
        return named[0]
    return f"{', '.join(named[:-1])} and {named[-1]}, side by side"


def reached(found: object) -> str:
    """`django gunicorn-gevent w1 c1000; fastapi uvicorn w1; ...`: the article's frameworks
    first, then the rest."""
    if not isinstance(found, Mapping):
        return ""
    names = [n for n in ARTICLE_FRAMEWORKS if n in found] + [
        n for n in found if n not in ARTICLE_FRAMEWORKS
    ]
    return "; ".join(f"{name} {found[name]}" for name in names)


def table(results: list[claim_rules.ClaimResult]) -> tuple[list[str], list[list[str]]]:
    """Head and rows: each claim's verdict under each rule; empty for a run with one rule."""
    rules = list(dict.fromkeys(r for c in results for r in c.by_rule))
    if len(rules) < 2:
        return [], []
    rows = [
        [c.id, *(str(c.by_rule.get(rule, {}).get("verdict", "—")) for rule in rules)]
        for c in results
        if c.by_rule
    ]
    return ["claim", *(title(rule) for rule in rules)], rows


def configurations(results: list[claim_rules.ClaimResult]) -> list[tuple[str, str]]:
    """Each rule and the configuration each contestant reached under it (where the claims were
    judged), once per rule."""
    found: dict[str, str] = {}
    for c in results:
        for rule, judged in c.by_rule.items():
            text = reached(judged.get("reached") or {})
            if text:
                found.setdefault(rule, text)
    return [(title(rule), text) for rule, text in found.items()]
