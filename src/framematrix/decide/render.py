"""The decision on a terminal (Rich), and the questions asked there when no answers file is
given."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.prompt import Confirm, FloatPrompt, IntPrompt, Prompt
from rich.table import Table

from framematrix.decide import capacity
from framematrix.decide.engine import Decision
from framematrix.decide.questions import QUESTIONS, Answers, AnswersError, resolve

TOP_REASONS = 6


def ask(console: Console) -> Answers:
    """One prompt per question, each with its one-line why; Enter keeps the default."""
    given: dict[str, Any] = {}
    for q in QUESTIONS:
        console.print(f"[dim]{q.why}[/]")
        if q.kind == "bool":
            default = bool(q.default) if q.default is not None else False
            given[q.key] = Confirm.ask(q.prompt, default=default, console=console)
        elif q.kind == "choice":
            given[q.key] = Prompt.ask(
                q.prompt, choices=list(q.choices), default=q.default, console=console
            )
        else:
            prompt, cast = (IntPrompt, int) if q.kind == "int" else (FloatPrompt, float)
            while True:
                value = prompt.ask(
                    f"{q.prompt} ({q.unit})", default=cast(q.default), console=console
                )
                try:
                    resolve({q.key: value})
                    break
                except AnswersError as exc:
                    console.print(f"[red]{exc}[/]")
            given[q.key] = value
    return resolve(given)


def show(d: Decision, console: Console) -> None:
    kb, s = d.kb, d.scored
    table = Table(title="Ranking (weighted mean of 1..5 ratings)")
    for column in ("#", "framework", "score"):
        table.add_column(column)
    for i, f in enumerate(s.ranking, 1):
        table.add_row(str(i), d.label(f), f"{s.scores[f]:.2f}")
    console.print(table)
    console.print(f"Winner: [bold]{d.label(d.winner)}[/]")

    path = " -> ".join(f"{st.question}={st.answer}" for st in d.tree.path)
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
        cells = [f"{s.contributions[f][key]:.2f} ({s.ratings[key][f]:.1f})" for f in kb.order]
        why.add_row(kb.criteria[key].label, f"{s.weights[key]:g}", *cells)
    console.print(why)
    console.print(
        "[dim]cell: contribution (rating). Sources of the winner's heaviest ratings "
        "(all sources: --json or --adr):[/]"
    )
    for key in heaviest[:TOP_REASONS]:
        console.print(
            f"[dim]  {kb.criteria[key].label}: {d.rating(key, d.winner).source}[/]", highlight=False
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

    source = "measured run" if d.evidence else "the article's benchmark figures"
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
            f"${p.article_usd_per_month:g} ({p.article_workers} workers)",
        )
    console.print(plan_table)
    console.print(f"[dim]model: {capacity.MODEL}[/]", highlight=False)
    for p in d.plans:
        console.print(f"[dim]{d.label(p.framework)}: {p.basis.source}[/]", highlight=False)
    if d.answers.defaulted():
        console.print(f"[dim]defaults used for: {', '.join(d.answers.defaulted())}[/]")
