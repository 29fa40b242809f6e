"""The decision on a terminal (Rich), and the questions asked there when no answers file is
given."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.prompt import Prompt
from rich.table import Table

from framematrix.decide import capacity, closeness
from framematrix.decide.engine import Decision
from framematrix.decide.groups import BY_KEY as BY_GROUP
from framematrix.decide.groups import GROUPS
from framematrix.decide.measured import MeasuredRequest
from framematrix.decide.question import Question
from framematrix.decide.questions import QUESTIONS, Answers, AnswersError, resolve

TOP_REASONS = 6


KIND_MARK = {"measured": "M", "article-figure": "F", "article-opinion": "O", "framematrix": "J"}
KIND_LEGEND = (
    "M measured (a run or its audit), F an article figure, O the article's stars or "
    "words, J framematrix's judgement"
)


def _typed(q: Question, text: str) -> Any:
    """A typed answer as the answers file would hold it; empty text leaves it unanswered."""
    if q.kind == "frameworks":
        return [part.strip() for part in text.replace(",", " ").split()]
    if q.kind == "bool":
        return {"y": True, "yes": True, "n": False, "no": False}.get(text.lower(), text)
    if q.kind in ("int", "number"):
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() else number
    return text


def asked() -> list[Question]:
    """The questions in the order a terminal asks them: group by group (`decide.groups`)."""
    return [q for g in GROUPS for q in QUESTIONS if q.group == g.key]


def ask(console: Console) -> Answers:
    """One prompt per question, group by group under its title, each with its one-line why;
    Enter leaves it unanswered."""
    given: dict[str, Any] = {}
    group = ""
    for q in asked():
        if q.group != group:
            group = q.group
            console.print(f"[bold]{BY_GROUP[group].title}[/]", highlight=False)
        console.print(f"[dim]{q.why}[/]", highlight=False)
        hint = {
            "choice": "/".join(q.choices),
            "frameworks": "names, comma-separated",
            "bool": "y/n",
        }
        shown = q.unit or hint.get(q.kind, "")
        while True:
            text = Prompt.ask(
                f"{q.prompt} ({shown}; Enter: not answered)",
                default="",
                show_default=False,
                console=console,
            )
            if not text.strip():
                break
            value = _typed(q, text.strip())
            try:
                resolve({q.key: value})
            except AnswersError as exc:
                console.print(f"[red]{exc}[/]")
                continue
            given[q.key] = value
            break
    return resolve(given)


def _evidence(d: Decision, console: Console) -> None:
    console.print(
        f"Evidence: {d.run_note}" + (f"; {d.evidence.note}" if d.evidence else ""), highlight=False
    )
    for o in d.overruled:
        console.print(f"[yellow]{o.text(d.labels)}[/]", highlight=False)
    for line in d.kept:
        console.print(f"[dim]The article's figures kept for {line}[/]", highlight=False)
    if d.article_winner != d.winner:
        alone = d.label(d.article_winner)
        console.print(
            f"[yellow]With the article's figures alone, {alone} would win: the "
            "evidence changed the winner.[/]",
            highlight=False,
        )


def _close(d: Decision, console: Console) -> None:
    if d.too_close is None:
        return
    console.print(f"[yellow]{d.headline()}[/]: {d.too_close.reason}.", highlight=False)
    console.print(
        "What would decide it: " + "; ".join(d.too_close.decide_by) + ".", highlight=False
    )
    console.print(f"[dim]rule: {closeness.RULE}[/]", highlight=False)


def _request(d: Decision, console: Console) -> None:
    """The measured line first, how the run judged it, and where it would flip."""
    found = d.on_request
    if d.request is None or found is None:
        return
    if not isinstance(found, MeasuredRequest):
        console.print(f"[yellow]Your request ({d.request.describe()}): {found}[/]", highlight=False)
        return
    console.print(f"[bold]{found.line()}[/]", highlight=False)
    console.print(
        f"[dim]Your request: GET /work with {d.request.describe()}; run {found.run_id}, "
        f"{found.standing.at.describe()}.[/]",
        highlight=False,
    )
    console.print("Judged against the run's noise:", highlight=False)
    pairs = [] if found.standing.noisy else found.standing.pairs().values()
    tie = found.standing.rules.tie
    for line in [p.says(found.labels, tie) for p in pairs] or [found.verdict()]:
        console.print(f"  {line}", highlight=False)
    for problem in found.standing.problems:
        console.print(f"[yellow]{problem}[/]", highlight=False)
    if found.flips:
        console.print("[bold]Where the answer would flip[/]")
    for flip in found.flips:
        style = "yellow" if flip.flips else "default"
        if not flip.changes:
            console.print(f"  [{style}]{flip.text}[/]", highlight=False)
            continue
        console.print(f"  [{style}]{flip.neighbour.words}:[/]", highlight=False)
        for change in flip.changes:
            console.print(f"    [{style}]{change}[/]", highlight=False)
    if d.request.peak_rps is not None:
        console.print(
            f"[dim]Your peak of {d.request.peak_rps:g} req/s: the capacity plan below sizes it "
            "from these measurements.[/]",
            highlight=False,
        )


def show(d: Decision, console: Console) -> None:
    kb, s = d.kb, d.scored
    _request(d, console)
    table = Table(title="Ranking (weighted mean of 1..5 ratings)")
    for column in ("#", "framework", "score"):
        table.add_column(column)
    for i, f in enumerate(s.ranking, 1):
        table.add_row(str(i), d.label(f), f"{s.scores[f]:.2f}")
    console.print(table)
    if d.too_close is None:
        console.print(f"[bold]{d.headline()}[/]", highlight=False)
    _close(d, console)
    _evidence(d, console)

    path = " -> ".join(
        f"{st.question}={st.answer}" + (" (default)" if st.defaulted else "") for st in d.tree.path
    )
    agree = "[green]agrees[/]" if d.agrees else "[yellow]disagrees[/]"
    console.print(
        f"Article's decision tree: {path} => [bold]{d.label(d.tree.verdict)}[/] "
        f"({d.tree.note}); the matrix {agree}.",
        highlight=False,
    )

    why = Table(title="Why: each criterion's contribution to each score (heaviest first)")
    why.add_column("criterion")
    why.add_column("weight", justify="right")
    for f in kb.order:
        why.add_column(d.label(f), justify="right")
    heaviest = [c for c in sorted(s.weights, key=lambda c: (-s.weights[c], c)) if s.weights[c]]
    for key in heaviest:
        cells = [
            f"{s.contributions[f][key]:.2f} ({s.ratings[key][f]:.1f} {KIND_MARK[s.kinds[f][key]]})"
            for f in kb.order
        ]
        why.add_row(kb.criteria[key].label, f"{s.weights[key]:g}", *cells)
    console.print(why)
    console.print(f"[dim]cell: contribution (rating, kind): {KIND_LEGEND}[/]", highlight=False)
    shares = ", ".join(f"{d.label(f)} {s.measured_share(f):.0%}" for f in s.ranking)
    console.print(f"Share of each score resting on measurement: {shares}", highlight=False)
    console.print(
        "[dim]Sources of the winner's heaviest ratings (all sources: --json or --adr):[/]"
    )
    for key in heaviest[:TOP_REASONS]:
        rating = d.rating(key, d.winner)
        console.print(
            f"[dim]  {kb.criteria[key].label} ({rating.kind}): {rating.source}[/]", highlight=False
        )

    console.print("[bold]What would change the answer[/]")
    for flip in d.weight_flips[:3]:
        console.print(
            f"  weight of {kb.criteria[flip.criterion].label}: {flip.weight:g} -> "
            f"{flip.new_weight:.3g} ({flip.change:+.3g}) => {d.label(flip.new_winner)}",
            highlight=False,
        )
    if not d.weight_flips:
        console.print("  no single weight change flips the winner")
    for a in d.answer_flips:
        console.print(
            f"  answer {a.question}: {a.answer} -> {a.new_answer} => {d.label(a.new_winner)}",
            highlight=False,
        )
    if not d.answer_flips:
        console.print("  no single answer change flips the winner")

    source = f"run {d.evidence.run_id}" if d.evidence else "the article's benchmark figures"
    plan_table = Table(
        title=f"Capacity and cost for {d.answers['peak_rps']:g} req/s peak, "
        f"p95 <= {d.answers['p95_target_ms']:g} ms (from {source})"
    )
    for column in (
        "framework",
        "workers",
        "cores",
        "memory",
        "per month",
        "p95 ok",
        "article: 1M req/month",
    ):
        plan_table.add_column(column)
    for p in d.plans:
        ok = {True: "yes", False: "[red]no[/]", None: "?"}[p.meets_p95]
        plan_table.add_row(
            d.label(p.framework),
            str(p.workers),
            str(p.cores),
            f"{p.memory_mb:.0f} MB",
            f"${p.monthly_usd:.2f}",
            ok,
            "—"
            if p.article_usd_per_month is None
            else f"${p.article_usd_per_month:g} ({p.article_workers} workers)",
        )
    console.print(plan_table)
    console.print(f"[dim]model: {capacity.MODEL}[/]", highlight=False)
    for p in d.plans:
        console.print(f"[dim]{d.label(p.framework)}: {p.basis.source}[/]", highlight=False)
    if d.answers.defaulted():
        console.print(f"[dim]defaults used for: {', '.join(d.answers.defaulted())}[/]")
