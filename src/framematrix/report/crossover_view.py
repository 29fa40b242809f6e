"""The crossover maps (`results.crossover`) for people: each as a chart with its words for the
report and the page, as lines for the terminal, and as Markdown. The chart is the sweeps'
(`charts.sweep_lines`): req/s against the parameter, each median with its interval, the spans
where lines cross shaded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from framematrix.report import charts, svg
from framematrix.results.crossover import CrossoverMap


@dataclass(frozen=True)
class Figure:
    chart: Markup
    """Inline SVG (the chart escapes its own text)."""
    headline: str
    """Where the lines cross, in words (`CrossoverMap.headline`)."""
    says: tuple[str, ...]
    """Each pair's order along the parameter."""
    notes: tuple[str, ...]


def title(found: CrossoverMap) -> str:
    """`req/s against calls: queries=3,calls=0..4, c=64`, and the tuning when not equal."""
    tuning = f" ({found.tuning})" if found.tuning != "equal" else ""
    return f"req/s against {found.key}: {found.spec}, {found.load.label}{tuning}"


def chart(found: CrossoverMap, palette: Mapping[str, str]) -> str:
    series = {
        who: [
            charts.Mark(m.value, m.rps.median, *(
                (m.interval.low, m.interval.high) if m.interval else (None, None)))
            for m in marks
            if m.rps
        ]
        for who, marks in found.lines.items()
    }  # fmt: skip
    return charts.sweep_lines(
        title(found),
        series,
        "req/s",
        {**svg.colours(list(series)), **palette},
        axis=found.key,
        log=False,
        whisker=f"the {found.level:.0%} interval of its figure",
        bands=[(c.low, c.high, c.says(found.key)) for c in found.crossings()],
    )


def figures(maps: Sequence[CrossoverMap], palette: Mapping[str, str]) -> list[Figure]:
    return [
        Figure(Markup(chart(found, palette)), found.headline(), tuple(found.says()), found.notes)
        for found in maps
    ]


def lines(maps: Iterable[CrossoverMap]) -> list[str]:
    """The terminal's: per map its title and where the lines cross, then each pair's order."""
    found = []
    for each in maps:
        found.append(f"[bold]{title(each)}[/]: {each.headline()}")
        found += [f"  {said}" for said in each.says()]
        found += [f"  [yellow]note:[/] {note}" for note in each.notes]
    return found


def markdown(maps: Iterable[CrossoverMap]) -> list[str]:
    """The Markdown report's: per map its title, where the lines cross, each pair's order."""
    found = []
    for each in maps:
        found += ["", f"### {title(each)}", "", f"**{each.headline()}.**", ""]
        found += [f"- {said}" for said in each.says()]
        found += [f"- note: {note}" for note in each.notes]
    return found
