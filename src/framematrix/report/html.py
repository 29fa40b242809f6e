"""The HTML report: one self-contained file (inline CSS and SVG, no script, no network).

The first screen is the answer (`sections.first_screen`); the detail sections follow, each
rendered by its macro in `templates/sections.html`.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from framematrix.claims.article import ARTICLE
from framematrix.report import sections
from framematrix.report.cells import DIGITS, article_lines
from framematrix.report.model import Report
from framematrix.results.formatting import spread_parts, times_parts

VERDICT_CLASS = {"holds": "holds", "does not hold": "does-not-hold", "cannot tell": "cannot-tell"}


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("framematrix.report", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        spread_parts=spread_parts,
        times_parts=times_parts,
        digits=DIGITS,
        article_lines=article_lines,
        verdict_class=VERDICT_CLASS,
    )
    return env


def chart_list(report: Report) -> list[str]:
    """Every chart the page shows, in order: the headline, then the detail sections' charts."""
    found = [sections.headline_chart(report)]
    for section in sections.details(report):
        found += [str(chart) for chart in section.data.get("charts", ())]
    return [chart for chart in found if chart]


def render(report: Report) -> str:
    template = environment().get_template("report.html")
    return template.render(
        r=report,
        source=ARTICLE.title,
        answer=sections.first_screen(report),
        sections=sections.details(report),
    )
