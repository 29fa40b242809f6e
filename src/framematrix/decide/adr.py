"""The decision as a MADR 4 architecture decision record (Markdown with YAML front matter)."""

from __future__ import annotations

from datetime import date

from framematrix.decide.engine import Decision
from framematrix.decide.measured import MeasuredRequest

GOOD = 4.0
BAD = 2.0
MAX_ITEMS = 6


def _weighted(decision: Decision) -> list[str]:
    """Criteria with weight, heaviest first."""
    w = decision.scored.weights
    return sorted((c for c in w if w[c] > 0), key=lambda c: (-w[c], c))


def _points(decision: Decision, framework: str) -> tuple[list[str], list[str], list[str]]:
    good, neutral, bad = [], [], []
    for key in _weighted(decision):
        rating = decision.rating(key, framework)
        label = decision.kb.criteria[key].label.lower()
        line = f"{label}: {rating.score:.1f}/5 ({rating.kind}: {rating.source})"
        if rating.score >= GOOD:
            good.append(line)
        elif rating.score <= BAD:
            bad.append(line)
        else:
            neutral.append(line)
    return good[:MAX_ITEMS], neutral[:MAX_ITEMS], bad[:MAX_ITEMS]


def render(decision: Decision, today: date | None = None) -> str:
    d, kb = decision, decision.kb
    winner = d.label(d.winner)
    answers = d.answers.values
    team = answers["team_size"]
    years = answers["maintenance_years"]
    lines = [
        "---",
        'status: "proposed"',
        f"date: {(today or date.today()).isoformat()}",
        "decision-makers: (fill in)",
        "---",
        "",
        f"# Use {winner} as the Python web framework",
        "",
        "## Context and Problem Statement",
        "",
        f"We are building {'a full web application' if answers['app_kind'] == 'web' else 'an API'}"
        f" for a team of {team if team is not None else 'a size not given'}"
        f" ({answers['team_experience'] or 'experience not given'}), expecting up to "
        f"{answers['peak_rps']:g} req/s at a p95 of {answers['p95_target_ms']:g} ms, maintained for"
        f" {f'{years:g} years' if years is not None else 'a time not given'}. Which of Django, "
        "FastAPI and Flask fits best?",
        "",
        "## Decision Drivers",
        "",
    ]
    if isinstance(d.on_request, MeasuredRequest):
        lines.append(f"* Measured in run {d.on_request.run_id}, {d.on_request.line()}")
        lines += [f"  * {flip.text}" for flip in d.on_request.flips]
    for key in _weighted(d)[:MAX_ITEMS]:
        lines.append(f"* {kb.criteria[key].label} (weight {d.scored.weights[key]:g})")
    for step in d.tree.path:
        lines.append(f"* {step.text} {step.answer}")
    lines += ["", "## Considered Options", ""]
    lines += [f"* {d.label(f)}" for f in kb.order]
    agree = "agrees with" if d.agrees else f"differs from (it says {d.label(d.tree.verdict)})"
    runner_up = d.scored.ranking[1]
    share = d.scored.measured_share(d.winner)
    lines += [
        "",
        "## Decision Outcome",
        "",
        f'Chosen option: "{winner}", because it scores highest in the weighted matrix '
        f"({d.scored.scores[d.winner]:.2f} of 5, against {d.label(runner_up)} "
        f"{d.scored.scores[runner_up]:.2f}); the article's decision tree {agree} this. "
        f"{share:.0%} of its score rests on measurement ({d.run_note}).",
        "",
    ]
    if d.too_close:
        lines += [
            f"{d.headline()}: {d.too_close.reason}. What would decide it: "
            f"{'; '.join(d.too_close.decide_by)}.",
            "",
        ]
    lines += [f"* {o.text(d.labels)}" for o in d.overruled]
    lines += [
        "",
        "### Consequences",
        "",
    ]
    good, _, bad = _points(d, d.winner)
    lines += [f"* Good, because {g}" for g in good]
    lines += [f"* Bad, because {b}" for b in bad]
    plan = next(p for p in d.plans if p.framework == d.winner)
    lines += [
        f"* Capacity: {plan.workers} workers, {plan.cores} cores, {plan.memory_mb:.0f} MB, about "
        f"${plan.monthly_usd:.2f}/month at peak ({plan.basis.source}).",
        "",
        "### Confirmation",
        "",
        "Re-run `framematrix decide` with a measured run (`--run`) on the target hardware and check"
        " that the winner and the capacity plan hold.",
        "",
        "## Pros and Cons of the Options",
    ]
    for f in kb.order:
        good, neutral, bad = _points(d, f)
        lines += ["", f"### {d.label(f)}", ""]
        lines += [f"* Good, because {g}" for g in good]
        lines += [f"* Neutral, because {n}" for n in neutral]
        lines += [f"* Bad, because {b}" for b in bad]
    lines += ["", "## More Information", ""]
    if d.evidence:
        lines.append(
            f"Measured evidence: run {d.evidence.run_id} ({d.evidence.path}); {d.evidence.note}."
        )
    else:
        lines.append("No measured run was given: performance figures are the article's.")
    if d.weight_flips:
        flip = d.weight_flips[0]
        lines.append(
            f"The closest call: {kb.criteria[flip.criterion].label} weight {flip.weight:g} -> "
            f"{flip.new_weight:.2f} would make {d.label(flip.new_winner)} win."
        )
    for a in d.answer_flips:
        lines.append(
            f"Answering {a.question} = {a.new_answer} would make {d.label(a.new_winner)} win."
        )
    lines += [
        "",
        "Every rating above names its kind (measured, article-figure, article-opinion,"
        " framematrix) and its source: an article section, a measured run, its security audit,"
        " or framematrix's reasoning.",
        "",
    ]
    return "\n".join(lines)
