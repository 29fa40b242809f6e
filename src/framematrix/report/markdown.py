"""The report as Markdown, for pasting into a pull request or an issue."""

from __future__ import annotations

from framematrix.claims.article import ARTICLE
from framematrix.measure.codesize import RULES
from framematrix.measure.ledger import Ledger
from framematrix.measure.side import Side
from framematrix.report import (
    answer,
    claims_ledger,
    crossover_view,
    ledger_view,
    rules,
    side_view,
)
from framematrix.report.cells import SETTINGS_HEADERS, article_lines, cells, headers, settings_row
from framematrix.report.model import METRICS, Report
from framematrix.report.tables import markdown_table
from framematrix.versions import describe


def answer_first(report: Report) -> list[str]:
    """The verdicts with their confidence and why, then the run's quality: what the HTML
    report's first screen shows."""
    out = [f"## The answer (judged at {report.reference or 'no common load'})", ""]
    for v in answer.verdicts(report):
        trust = f"; confidence {v.confidence}" if v.confidence != "—" else ""
        rests = f", {v.rests_on}" if v.rests_on else ""
        out.append(f"- **{v.verdict}**: {v.claim} — {v.why}{trust}{rests}")
    out += ["", "Run quality:", ""]
    out += [f"- {item.level}: {item.text}" for item in answer.quality(report)]
    return [*out, ""]


def render(report: Report) -> str:
    out = [f"# framematrix run {report.run}", ""]
    out += [
        f"Medians of interleaved trials (min…max); ratios at the same load in this run; "
        f"the article ({ARTICLE.title}) beside.",
        "",
    ]
    out += answer_first(report)
    out += ["## Differences from the article's setup", ""]
    out += [f"- {line}" for line in report.differences] + [""]
    out += ["## Matrix", ""]
    for at in report.loads():
        head = ["contestant", "server", "trials"]
        for name in METRICS:
            head += headers(name)
        rows = []
        for row in report.rows_at(at):
            s = row.summary
            who = s.point.who + (" (beyond the article)" if row.beyond_article else "")
            line: list[object] = [who, s.point.server or "—", f"{s.trials - s.failed}/{s.trials}"]
            for name in METRICS:
                line += cells(name, row.metrics[name])
            rows.append(line)
        out += [f"### {at.scenario}, {at.label}", "", markdown_table(head, rows), ""]
    out += [
        "## The article's claims",
        "",
        f"Judged at {report.reference or 'no common load'}, {rules.judged_under(report.rules)}.",
        "",
    ]
    claim_rows = [[c.claim, c.section, f"**{c.verdict}**", c.evidence] for c in report.claims]
    out += [markdown_table(["claim", "section", "verdict", "evidence"], claim_rows)]
    if report.audit_claims:
        out += ["", "### Security claims (from the audit)", ""]
        out += [
            markdown_table(
                ["framework", "claim", "verdict", "evidence"],
                [
                    [
                        c.get("framework"),
                        c.get("claim"),
                        f"**{c.get('verdict')}**",
                        c.get("evidence"),
                    ]
                    for c in report.audit_claims
                ],
            )
        ]
    if report.budget:
        b = report.budget
        out += [
            "",
            f"{b['trials']} more trials in {b['rounds']} rounds ({b['seconds']} of "
            f"{b['budget_s']:g} s) where verdicts were undecided; still undecided: "
            f"{', '.join(b['undecided']) or 'none'}.",
        ]
    out += ["", f"Intervals: {report.confidence}.", ""]
    out += [
        markdown_table(
            ["claim", "good trials per framework"],
            [
                [c.id, ", ".join(f"{k} {v}" for k, v in c.trials.items()) or "—"]
                for c in report.claims
            ],
        )
    ]
    head, by_rule = rules.table(report.claims)
    if by_rule:
        out += ["", "### The claims under each rule", "", markdown_table(head, by_rule), ""]
        out += [f"- {title}: {text}" for title, text in rules.configurations(report.claims)]
    workloads = sorted({group for c in report.claims for group in c.by_workload})
    if workloads:
        out += ["", "### The claims on each workload", ""]
        out += [
            markdown_table(
                ["claim", *workloads],
                [
                    [c.id, *(c.by_workload.get(g, {}).get("verdict", "—") for g in workloads)]
                    for c in report.claims
                    if c.by_workload
                ],
            )
        ]
    if report.crossover:
        out += ["", "## Where the lines cross", *crossover_view.markdown(report.crossover)]
    if report.serializers:
        out += ["", "## The serialisers", "", *(f"- {said}" for said in report.serializers)]
    out += [
        "",
        "## Every claim of the article, and how it is checked",
        "",
        claims_ledger.markdown(report.every_claim()),
    ]
    if report.ledger:
        out += [
            "",
            "## Database work per request",
            "",
            ledger_view.markdown(Ledger.from_record(report.ledger)),
        ]
    if report.servers:
        out += ["## Server settings", ""]
        out += [markdown_table(SETTINGS_HEADERS, [settings_row(s) for s in report.servers])]
    out += ["", "## Code size", "", f"Counted {report.code_measured} with radon:", ""]
    out += [f"- {rule}" for rule in RULES] + [""]
    out += [
        markdown_table(
            ["contestant", "files", "source lines", "API only", "complexity mean / max", "article"],
            [
                [
                    c.contestant,
                    c.files,
                    f"{c.source_lines:,}",
                    f"{c.api_source_lines:,}",
                    f"{c.complexity_mean} / {c.complexity_max}",
                    article_lines(c.contestant),
                ]
                for c in report.code
            ],
        )
    ]
    if report.side:
        out += ["", "## Beside the load trials", ""]
        out += side_view.markdown(Side.from_record(report.side))
    out += ["", "## Environment", ""]
    out += [
        markdown_table(
            ["", ""],
            [
                [k, v]
                for k, v in report.environment.items()
                if k not in ("packages", "version_sets")
            ],
        )
    ]
    packages = report.environment.get("packages") or {}
    if packages:
        out += ["", "Packages: " + ", ".join(f"{k} {v}" for k, v in packages.items())]
    for label, env in (report.environment.get("version_sets") or {}).items():
        out += ["", f"Version set `{label}`: {describe(env, packages)}"]
    if report.warnings:
        out += ["", "## Warnings", ""] + [f"- {w}" for w in report.warnings]
    return "\n".join(out) + "\n"
