"""Your request, measured: the frameworks ranked on a run's trials of exactly the request the
answers describe (`decide.request`), and where that ranking would flip.

The line the decision leads with gives each framework's req/s over the reference's (the first of
the ranked frameworks the run measured: Django for the article's three), with the interval of
that ratio (`results.statistics.ratio`: paired rounds, at the run's level), at the load the run
measured the request at and under one tuning. Every pair of frameworks is judged as the claims
are (`claims.judge.compare`): apart, equal or not told apart, against the tie zone the run's A/A
control sets at that load point (`results.control`), so "within the noise" is the run's own
measured noise, not a guess. The request's neighbours (one thing less each), measured in the same
run at the same load and tuning, are judged the same way; a neighbour is named by the pairs whose
judgement differs from the request's: "with 0 upstream calls FastAPI and Flask are within the
noise".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from framematrix.claims.judge import compare, usable
from framematrix.decide.evidence import Evidence
from framematrix.decide.knowledge import KnowledgeBase
from framematrix.decide.request import Neighbour, Request
from framematrix.results import statistics
from framematrix.results.control import Rules
from framematrix.results.reference import RULES, by_load, reference_load
from framematrix.results.store import Run
from framematrix.results.summary import PointSummary
from framematrix.trials import LoadPoint

Judged = Literal["apart", "equal", "undecided"]
MEASURE = "measure it with `framematrix decide --measure`"


@dataclass(frozen=True)
class Pair:
    """Two frameworks at one workload, the one with the higher median req/s first."""

    ahead: str
    behind: str
    judged: Judged
    interval: statistics.Interval | None
    """The interval of ahead's req/s over behind's."""

    def says(self, labels: Mapping[str, str], tie: float) -> str:
        """`A leads B 1.42x (1.30…1.55)`, `A and B are within the noise (±6%)`, or `A and B are
        not told apart (1.04x, 0.97…1.12, against ±6%)`."""
        a, b, found = labels[self.ahead], labels[self.behind], self.interval
        if self.judged == "equal":
            return f"{a} and {b} are within the noise (±{tie:.0%})"
        if self.judged == "apart" and found is not None:
            return f"{a} leads {b} {found.estimate:.2f}x ({found.low:.2f}…{found.high:.2f})"
        if found is None:
            return f"{a} and {b} are not told apart (too few paired rounds)"
        reach = f"{found.estimate:.2f}x, {found.low:.2f}…{found.high:.2f}"
        return f"{a} and {b} are not told apart ({reach}, against ±{tie:.0%})"

    def record(self) -> dict[str, Any]:
        found = self.interval
        return {
            "ahead": self.ahead,
            "behind": self.behind,
            "judged": self.judged,
            "interval": statistics.bounds(found),
        }


@dataclass(frozen=True)
class Standing:
    """The frameworks measured at one workload, at the request's load and tuning."""

    at: LoadPoint
    found: Mapping[str, PointSummary]
    """framework -> its representative point, the highest median req/s first."""
    rules: Rules
    """The tie zone and level here; `too_noisy` when the A/A control came out apart here."""
    problems: tuple[str, ...]
    """Why a framework's figures cannot be judged (too few trials, errors), one line each."""

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(self.found)

    @property
    def noisy(self) -> bool:
        """The A/A control came out apart here: no difference is told from noise."""
        return self.rules.too_noisy

    def pair(self, a: str, b: str) -> Pair:
        first, second = self.found[a].rps, self.found[b].rps
        assert first is not None and second is not None
        ahead, behind = (a, b) if first.median >= second.median else (b, a)
        spreads, why = usable(self.found, (a, b), "rps")
        if why or self.noisy:
            return Pair(ahead, behind, "undecided", self.ratio(ahead, behind))
        outcome, interval = compare(spreads[ahead], spreads[behind], "higher", self.rules)
        if outcome in ("a", "b"):
            winner, loser = (ahead, behind) if outcome == "a" else (behind, ahead)
            flipped = interval if outcome == "a" else self.ratio(winner, loser)
            return Pair(winner, loser, "apart", flipped)
        return Pair(ahead, behind, "equal" if outcome == "equal" else "undecided", interval)

    def ratio(self, a: str, b: str) -> statistics.Interval | None:
        first, second = self.found[a].rps, self.found[b].rps
        assert first is not None and second is not None
        return statistics.ratio(first.by_round, second.by_round, self.rules.level)

    def pairs(self) -> dict[frozenset[str], Pair]:
        names = self.order
        return {
            frozenset((a, b)): self.pair(a, b) for i, a in enumerate(names) for b in names[i + 1 :]
        }

    @property
    def leader(self) -> str | None:
        """The framework apart ahead of every other; None when the top is within the noise."""
        if not self.found:
            return None
        top = self.order[0]
        others = [self.pair(top, b) for b in self.order[1:]]
        return top if all(p.judged == "apart" and p.ahead == top for p in others) else None


def standing(evidence: Evidence, at: LoadPoint, tuning: str) -> Standing | None:
    """The run's frameworks at one load point under one tuning; None when it measured none."""
    summary = evidence.summary
    loads = by_load(summary.points, tuning)
    kept = {
        evidence.contestants[name]: s
        for name, s in loads.get(at, {}).items()
        if name in evidence.contestants and s.rps is not None
    }
    if not kept:
        return None
    ordered = dict(sorted(kept.items(), key=lambda item: -_median(item[1])))
    problems = tuple(why for f in ordered if (why := usable(ordered, (f,), "rps")[1]))
    control = summary.noise.controls.get(at)
    noisy = control.apart if control else False
    rules = replace(summary.noise.rules(at), too_noisy=noisy)
    return Standing(at, ordered, rules, problems)


def _median(s: PointSummary) -> float:
    return s.rps.median if s.rps else 0.0


@dataclass(frozen=True)
class Flip:
    """The request's ranking at one neighbour."""

    neighbour: Neighbour
    standing: Standing | None
    """None: the run did not measure the neighbour there."""
    changes: tuple[str, ...]
    """The pairs judged otherwise than at the request, in words."""
    flips: bool
    """The leader differs (or is no longer apart) from the request's."""
    text: str

    def record(self) -> dict[str, Any]:
        return {
            "workload": self.neighbour.spec.name,
            "with": self.neighbour.words,
            "measured": self.standing is not None,
            "leader": self.standing.leader if self.standing else None,
            "flips": self.flips,
            "changes": list(self.changes),
            "text": self.text,
        }


@dataclass(frozen=True)
class MeasuredRequest:
    """The request as one run measured it: the ranking, its line, where it would flip."""

    request: Request
    run_id: str
    tuning: str
    reference: str
    """The framework the others' req/s are put over."""
    standing: Standing
    flips: tuple[Flip, ...]
    labels: Mapping[str, str]

    def line(self) -> str:
        """`for your request: FastAPI 2.10x Django (1.80…2.40), Flask 1.00x (0.90…1.10) at 64
        concurrent users, under equal settings`."""
        ref = self.labels[self.reference]
        parts: list[str] = []
        for framework in self.standing.order:
            if framework == self.reference:
                continue
            interval = self.standing.ratio(framework, self.reference)
            first = f"{self.labels[framework]} "
            named = f" {ref}" if not parts else ""
            if interval is None:
                rps = self.standing.found[framework].rps
                base = self.standing.found[self.reference].rps
                assert rps is not None and base is not None
                parts.append(f"{first}{rps.median / base.median:.2f}x{named} (too few rounds)")
            else:
                bounds = f"({interval.low:.2f}…{interval.high:.2f})"
                parts.append(f"{first}{interval.estimate:.2f}x{named} {bounds}")
        said = ", ".join(parts) or f"{ref} alone was measured"
        at = self.standing.at
        load = (
            f"{at.concurrency} concurrent users"
            if at.concurrency is not None
            else f"{at.rate:g} req/s offered"
        )
        return f"for your request: {said} at {load}, {RULES[self.tuning]}"

    def verdict(self) -> str:
        """How the run judges the request's pairs: `FastAPI leads Django 2.10x (1.80…2.40); ...`."""
        if self.standing.noisy:
            return "the run's A/A control came out apart here: no difference is told from noise"
        pairs = self.standing.pairs().values()
        said = "; ".join(p.says(self.labels, self.standing.rules.tie) for p in pairs)
        return said or f"only {self.labels[self.standing.order[0]]} was measured"

    def record(self) -> dict[str, Any]:
        at, s = self.standing.at, self.standing
        ranking = []
        for framework, point in s.found.items():
            interval = s.ratio(framework, self.reference) if framework != self.reference else None
            ranking.append(
                {
                    "framework": framework,
                    "contestant": point.point.contestant,
                    "rps": asdict(replace(point.rps, values=(), rounds=())) if point.rps else None,
                    "ratio": None
                    if interval is None
                    else {
                        "estimate": round(interval.estimate, 4),
                        "low": round(interval.low, 4),
                        "high": round(interval.high, 4),
                        "level": round(interval.level, 4),
                    },
                }
            )
        return {
            "measured": True,
            "why": None,
            "run": self.run_id,
            "tuning": self.tuning,
            "at": at.describe(),
            "concurrency": at.concurrency,
            "rate": at.rate,
            "reference": self.reference,
            "line": self.line(),
            "verdict": self.verdict(),
            "ranking": ranking,
            "leader": s.leader,
            "pairs": [p.record() for p in s.pairs().values()],
            "tie": round(s.rules.tie, 4),
            "noisy": s.noisy,
            "problems": list(s.problems),
            "flips": [f.record() for f in self.flips],
        }


def record(request: Request | None, found: MeasuredRequest | str | None) -> dict[str, Any] | None:
    """`decide --json`'s `request`: null when no request was described; its keys are the same
    whether the run measured it or not (`measured`, and `why` it did not)."""
    if request is None:
        return None
    if isinstance(found, MeasuredRequest):
        return {**request.record(), **found.record()}
    nothing = dict.fromkeys(("run", "tuning", "at", "concurrency", "rate", "reference", "line"))
    nothing |= dict.fromkeys(("verdict", "leader", "tie"))
    lists: dict[str, Any] = {key: [] for key in ("ranking", "pairs", "problems", "flips")}
    why = found or "no run was used"
    return {**request.record(), "measured": False, "why": why, **nothing, **lists, "noisy": False}


def flip(
    neighbour: Neighbour, at: Standing, there: Standing | None, labels: Mapping[str, str]
) -> Flip:
    """The request's ranking (`at`) against the neighbour's (`there`), in words: the pairs judged
    otherwise there, best first (a new leader's pairs lead)."""
    if there is None:
        return Flip(neighbour, None, (), False, f"{neighbour.words}: not measured in this run")
    mine, theirs = at.pairs(), there.pairs()
    changes = tuple(
        pair.says(labels, there.rules.tie)
        for key, pair in theirs.items()
        if key in mine and (pair.judged, pair.ahead) != (mine[key].judged, mine[key].ahead)
    )
    flips = there.leader != at.leader
    if not changes:
        return Flip(neighbour, there, (), flips, f"{neighbour.words} the order holds")
    return Flip(neighbour, there, changes, flips, f"{neighbour.words} {'; '.join(changes)}")


def tuning_of(evidence: Evidence, scenario: str, wanted: str | None) -> str | None:
    """The tuning the request is judged under: `wanted` when the run measured the request under
    it, else the first the run measured it under (equal settings first); None: not measured."""
    measured = {s.point.tuning for s in evidence.summary.points if s.point.at.scenario == scenario}
    if wanted is not None:
        return wanted if wanted in measured else None
    return next((t for t in (*RULES, *sorted(measured)) if t in measured), None)


def measure(
    evidence: Evidence, request: Request, kb: KnowledgeBase, wanted: str | None = None
) -> MeasuredRequest | str:
    """The request as the run measured it, or why the run cannot say (one line, with the
    remedy)."""
    name = request.scenario
    tuning = tuning_of(evidence, name, wanted)
    under = f" {RULES.get(wanted, wanted)}" if wanted else ""
    if tuning is None:
        return f"run {evidence.run_id} did not measure your request ({name}){under}: {MEASURE}"
    plan = Run(evidence.path).meta().get("plan") or {}
    latency = plan.get("upstream_ms")
    if request.spec.calls and latency is not None and float(latency) != request.upstream_ms:
        return (
            f"run {evidence.run_id} measured {name} with a {float(latency):g} ms upstream, not "
            f"your {request.upstream_ms:g} ms: {MEASURE}"
        )
    loads = by_load(evidence.summary.points, tuning)
    own = {at: found for at, found in loads.items() if at.scenario == name}
    at = reference_load(own, tuple(evidence.contestants))
    found = standing(evidence, at, tuning) if at is not None else None
    if found is None or at is None:
        return f"run {evidence.run_id} has no successful trial of your request ({name}): {MEASURE}"
    labels = {f: kb.frameworks[f].label for f in kb.order}
    reference = next(f for f in (*kb.order, *found.order) if f in found.found)
    flips = tuple(
        flip(n, found, standing(evidence, replace(at, scenario=n.spec.name), tuning), labels)
        for n in request.neighbours()
    )
    return MeasuredRequest(request, evidence.run_id, tuning, reference, found, flips, labels)
