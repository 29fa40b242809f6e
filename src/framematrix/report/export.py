"""One report, every file format: `framematrix report RUN --format html|md|json|csv`."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict

from framematrix.errors import FramematrixError
from framematrix.report import answer, html, markdown
from framematrix.report.model import METRICS, Report, Row

FORMATS = ("html", "md", "json", "csv")
SUFFIX = {"html": ".html", "md": ".md", "json": ".json", "csv": ".csv"}


def as_json(report: Report) -> str:
    """The report model, with the first screen's `verdicts` (confidence, why) and `quality`."""
    data = report.to_dict()
    data["verdicts"] = [asdict(v) for v in answer.verdicts(report)]
    data["quality"] = [asdict(item) for item in answer.quality(report)]
    return json.dumps(data, indent=2, default=str) + "\n"


def csv_row(row: Row) -> dict[str, object]:
    """One matrix row flattened: `<metric>`, `_low`, `_high`, `_vs_django`, `_vs_baseline`, …"""
    data = {k: v for k, v in row.record().items() if k not in ("baseline", "metrics", "curve")}
    for name, metric in row.metrics.items():
        m, d = metric.measured, metric.vs_django
        data |= {
            name: m.median if m else None,
            f"{name}_low": m.low if m else None,
            f"{name}_high": m.high if m else None,
            f"{name}_vs_django": round(d.median, 4) if d else None,
            f"{name}_vs_django_low": round(d.low, 4) if d else None,
            f"{name}_vs_django_high": round(d.high, 4) if d else None,
            f"{name}_vs_baseline": metric.vs_baseline,
            f"{name}_article": metric.article,
            f"{name}_article_vs_django": metric.article_vs_django,
        }
    return data


def as_csv(report: Report) -> str:
    out = io.StringIO()
    first = [csv_row(row) for row in report.rows]
    fields = list(first[0]) if first else ["contestant", "scenario", *METRICS]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(first)
    return out.getvalue()


def render(report: Report, fmt: str) -> str:
    renderers = {"html": html.render, "md": markdown.render, "json": as_json, "csv": as_csv}
    if fmt not in renderers:
        raise FramematrixError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    return renderers[fmt](report)
