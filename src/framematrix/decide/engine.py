"""One decision: answers (+ a run, + its audit) -> tree verdict, weighted ranking, why, what would
change it, whether it is too close to call, capacity and cost. The CLI, the web page and the
decision record all render this.

Evidence: a run (`--run`, else the latest under ./runs/) replaces the article's ratings of every
measured criterion (performance, latency, memory and cost from the points of the user's
workload, real time from its `iot` points, security from its audit.json); each rating keeps its
kind (measured, article-figure, article-opinion, framematrix). Where the ranking with the run
differs from the ranking with the article's figures alone, `overruled` says on which criterion.

Too close to call (`closeness.RULE`): when a change of one weight by less than 5% of the total
weight flips the winner, or when the measured ratings, moved within their trials' min…max
range against the winner, let the rival catch up; `too_close` then names both and what would
decide between them, and the outputs say "too close to call" instead of a winner.

`Decision.to_json()` is what `framematrix decide --json` prints:

    winner           the weighted matrix's winner ("django" | "fastapi" | "flask")
    ranking          [{"framework", "score"}], best first; score is a weighted mean on 1..5
    tree_path        [{"question", "text", "answer", "defaulted"}]: the article's flowchart
    tree_verdict     the flowchart's leaf; tree_note says which leaf
    matrix_agrees    whether winner == tree_verdict
    answers          every answer used; defaulted lists those not given
    weights          criterion -> weight
    criteria         [{"key", "label", "weight", "ratings": {framework: {"score", "source",
                      "kind", "value", "run", "low", "high"}}}]
    contributions    framework -> criterion -> share of its score (they add up to the score)
    kind             framework -> criterion -> the kind of the rating behind that contribution
    measured_share   framework -> the part of its score that rests on measured ratings (0..1)
    too_close        null, or {"between": [winner, rival], "rule": "weights"|"measurements",
                      "reason", "decide_by": [...], "rule_text"}
    run              {"id" (null: the article's figures), "path", "note" (which run, or that
                      none was used), "performance" (which of its points stand for performance)}
    overruled        [{"criterion", "ahead", "behind", "run", "measured", "article", "text"}]
    article_winner   the winner with the article's figures alone (the same without a run)
    sensitivity      {"weights": [{"criterion", "weight", "new_weight", "change", "new_winner"}],
                      "answers": [{"question", "answer", "new_answer", "new_winner"}]}
    capacity         {"model", "headroom", "source", "plans": [{"framework", "workers", "cores",
                      "memory_mb", "monthly_usd", "meets_p95", "basis": {...},
                      "article": {"usd_per_month", "workers", "requests_per_month"}}]}
    evidence         null, or {"run", "path", "created", "frameworks": {framework: medians}}
    request          null when no request question was answered; else your request
                      (`decide.request`: "workload" (its scenario, work-c2), "queries", "writes",
                      "calls", "compute_ms", "items", "upstream_ms", "peak_rps") and what the run
                      measured of it (`decide.measured`): "measured", "why" (null, or why the
                      run cannot say), "run", "tuning", "at", "concurrency", "rate",
                      "reference", "line" (what the output leads with), "verdict", "ranking"
                      [{"framework", "contestant", "rps": {"median", "low", "high", "n"},
                      "ratio": null | {"estimate", "low", "high", "level"} over the
                      reference}], "leader" (null: the top is within the noise), "pairs"
                      [{"ahead", "behind", "judged": "apart"|"equal"|"undecided",
                      "interval"}], "tie", "noisy", "problems", "flips" [{"workload", "with",
                      "measured", "leader", "flips", "changes", "text"}]

A run that measured the request (`decide --measure`, or `bench --workload`) makes its points
stand for performance instead of the `workload` answer's: the ranking rests on your request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from framematrix.claims.article import ARTICLE
from framematrix.decide import (
    capacity,
    closeness,
    evidence,
    knowledge,
    measured,
    overruled,
    scoring,
    sensitivity,
    tree,
)
from framematrix.decide import request as described
from framematrix.decide.questions import Answers

HOSTING = ARTICLE.figure("hosting_usd_per_month")


@dataclass(frozen=True)
class Decision:
    kb: knowledge.KnowledgeBase
    answers: Answers
    tree: tree.TreeResult
    scored: scoring.Scored
    weight_flips: list[sensitivity.WeightFlip]
    answer_flips: list[sensitivity.AnswerFlip]
    plans: list[capacity.Plan]
    evidence: evidence.Evidence | None
    run_note: str
    """Which run was used, or that the article's figures were."""
    too_close: closeness.TooClose | None
    overruled: list[overruled.Overrule]
    article_winner: str
    kept: list[str] = field(default_factory=list)
    """Measured criteria that kept the article's figures, each with why: the run could not
    decide that comparison beyond its noise, or did not measure it."""
    request: described.Request | None = None
    """The request the answers describe, if they describe one."""
    on_request: measured.MeasuredRequest | str | None = None
    """The request as the run measured it, or why the run cannot say (None: no run or no
    request)."""

    @property
    def winner(self) -> str:
        return self.scored.winner

    @property
    def agrees(self) -> bool:
        return self.winner == self.tree.verdict

    def label(self, framework: str) -> str:
        return self.kb.frameworks[framework].label

    def rating(self, criterion: str, framework: str) -> knowledge.Rating:
        return self.kb.criteria[criterion].rating(framework, self.answers.weighed)

    @property
    def labels(self) -> dict[str, str]:
        return {f: fw.label for f, fw in self.kb.frameworks.items()}

    def headline(self) -> str:
        """The one line the outputs lead with: the winner, or that it is too close to call."""
        if self.too_close:
            a, b = self.too_close.between
            return f"Too close to call between {self.label(a)} and {self.label(b)}"
        return f"Winner: {self.label(self.winner)}"

    def to_json(self) -> dict[str, Any]:
        s = self.scored
        return {
            "winner": self.winner,
            "ranking": [{"framework": f, "score": round(s.scores[f], 4)} for f in s.ranking],
            "tree_path": [
                {
                    "question": st.question,
                    "text": st.text,
                    "answer": st.answer,
                    "defaulted": st.defaulted,
                }
                for st in self.tree.path
            ],
            "tree_verdict": self.tree.verdict,
            "tree_note": self.tree.note,
            "matrix_agrees": self.agrees,
            "answers": dict(self.answers.values),
            "defaulted": self.answers.defaulted(),
            "weights": s.weights,
            "criteria": [
                {
                    "key": key,
                    "label": c.label,
                    "weight": s.weights[key],
                    "ratings": {f: asdict(self.rating(key, f)) for f in self.kb.order},
                }
                for key, c in self.kb.criteria.items()
            ],
            "contributions": {
                f: {c: round(v, 4) for c, v in row.items()} for f, row in s.contributions.items()
            },
            "kind": s.kinds,
            "measured_share": {f: round(s.measured_share(f), 4) for f in self.kb.order},
            "too_close": self.too_close.record() if self.too_close else None,
            "run": {
                "id": self.evidence.run_id if self.evidence else None,
                "path": str(self.evidence.path) if self.evidence else None,
                "note": self.run_note,
                "performance": self.evidence.note if self.evidence else None,
            },
            "overruled": [o.record(self.labels) for o in self.overruled],
            "kept": self.kept,
            "article_winner": self.article_winner,
            "sensitivity": {
                "weights": [{**asdict(w), "change": w.change} for w in self.weight_flips],
                "answers": [asdict(a) for a in self.answer_flips],
            },
            "capacity": {
                "model": capacity.MODEL,
                "headroom": capacity.HEADROOM,
                "source": "measured run" if self.evidence else "article figures",
                "plans": [
                    {
                        "framework": p.framework,
                        "workers": p.workers,
                        "cores": p.cores,
                        "memory_mb": round(p.memory_mb, 1),
                        "monthly_usd": round(p.monthly_usd, 2),
                        "meets_p95": p.meets_p95,
                        "basis": asdict(p.basis),
                        "article": {
                            "usd_per_month": p.article_usd_per_month,
                            "workers": p.article_workers,
                            "requests_per_month": HOSTING.extra["requests_per_month"],
                        },
                    }
                    for p in self.plans
                ],
            },
            "request": measured.record(self.request, self.on_request),
            "evidence": None
            if self.evidence is None
            else {
                "run": self.evidence.run_id,
                "path": str(self.evidence.path),
                "created": self.evidence.created,
                "frameworks": {f: e.record() for f, e in self.evidence.frameworks.items()},
            },
        }


def decide(
    answers: Answers,
    run: evidence.Evidence | None = None,
    kb: knowledge.KnowledgeBase | None = None,
    run_note: str | None = None,
    tuning: str | None = None,
) -> Decision:
    """`tuning`: the rule the request's points are judged under (default: the first the run
    measured it under, equal settings first)."""
    article = kb or knowledge.load()
    request = answers.request
    on_request = measured.measure(run, request, article, tuning) if run and request else None
    points = _points(run, request, on_request)
    chosen: dict[str, knowledge.KnowledgeBase] = {}

    def knowledge_for(a: Answers) -> knowledge.KnowledgeBase:
        if points is None:
            return article
        found = points(a)
        if found.note not in chosen:
            chosen[found.note] = evidence.apply(article, found)
        return chosen[found.note]

    measured_kb = knowledge_for(answers)
    at_workload = points(answers) if points else None
    scored = scoring.score(measured_kb, answers)
    weight_flips = sensitivity.weight_flips(scored.ratings, scored.weights, measured_kb.order)
    answer_flips = sensitivity.answer_flips(knowledge_for, answers)
    a = answers.values
    return Decision(
        kb=measured_kb,
        answers=answers,
        tree=answers.walk(),
        scored=scored,
        weight_flips=weight_flips,
        answer_flips=answer_flips,
        plans=capacity.plans(
            measured_kb,
            at_workload,
            a["peak_rps"],
            a["p95_target_ms"],
            a["price_vcpu_month"],
            a["price_gb_month"],
        ),
        evidence=at_workload,
        run_note=run_note or (f"used run {run.run_id}" if run else "no run: the article's figures"),
        too_close=closeness.judge(measured_kb, answers, scored, weight_flips, answer_flips),
        overruled=overruled.find(article, measured_kb, answers) if run else [],
        kept=evidence.kept(article, at_workload) if at_workload else [],
        article_winner=scoring.winner(article, answers) if run else scored.winner,
        request=request,
        on_request=on_request,
    )


def _points(
    run: evidence.Evidence | None,
    request: described.Request | None,
    on_request: measured.MeasuredRequest | str | None,
) -> Callable[[Answers], evidence.Evidence] | None:
    """Which of the run's points stand for performance for some answers: the request's, when the
    run measured it (a changed request's where the run measured that too, else still the
    request's), else the `workload` answer's."""
    if run is None:
        return None
    if request is None or not isinstance(on_request, measured.MeasuredRequest):
        return lambda a: run.for_workload(a.values["workload"])
    tuning = on_request.tuning
    own = run.for_request(request.scenario, tuning)
    assert own is not None  # measured: it has a good trial

    def points(a: Answers) -> evidence.Evidence:
        changed = a.request
        if changed is None or changed.spec == request.spec:
            return own
        if changed.spec.calls and changed.upstream_ms != request.upstream_ms:
            return own
        return run.for_request(changed.scenario, tuning) or own

    return points
