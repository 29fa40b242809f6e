"""One decision: answers (+ a run, + an audit) -> tree verdict, weighted ranking, why, what would
change it, capacity and cost. The CLI, the web page and the decision record all render this.

`Decision.to_json()` is what `framematrix decide --json` prints:

    winner           the weighted matrix's winner ("django" | "fastapi" | "flask")
    ranking          [{"framework", "score"}], best first; score is a weighted mean on 1..5
    tree_path        [{"question", "text", "answer"}]: the article's flowchart, START to leaf
    tree_verdict     the flowchart's leaf; tree_note says which leaf
    matrix_agrees    whether winner == tree_verdict
    answers          every answer used; defaulted lists those not given
    weights          criterion -> weight
    criteria         [{"key", "label", "weight",
                      "ratings": {framework: {"score", "source", "value"}}}]
    contributions    framework -> criterion -> share of its score (they add up to the score)
    sensitivity      {"weights": [{"criterion", "weight", "new_weight", "change", "new_winner"}],
                      "answers": [{"question", "answer", "new_answer", "new_winner"}]}
    capacity         {"model", "headroom", "source", "plans": [{"framework", "workers", "cores",
                      "memory_mb", "monthly_usd", "meets_p95", "basis": {...},
                      "article": {"usd_per_month", "workers", "requests_per_month"}}]}
    evidence         null, or {"run", "path", "created", "frameworks": {framework: medians}}
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from framematrix.article import ARTICLE
from framematrix.decide import capacity, evidence, knowledge, scoring, sensitivity, tree
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

    @property
    def winner(self) -> str:
        return self.scored.winner

    @property
    def agrees(self) -> bool:
        return self.winner == self.tree.verdict

    def label(self, framework: str) -> str:
        return self.kb.frameworks[framework].label

    def rating(self, criterion: str, framework: str) -> knowledge.Rating:
        return self.kb.criteria[criterion].rating(framework, self.answers.values)

    def to_json(self) -> dict[str, Any]:
        s = self.scored
        return {
            "winner": self.winner,
            "ranking": [{"framework": f, "score": round(s.scores[f], 4)} for f in s.ranking],
            "tree_path": [
                {"question": st.question, "text": st.text, "answer": st.answer}
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
) -> Decision:
    kb = kb or knowledge.load()
    if run is not None:
        kb = evidence.apply(kb, run)
    scored = scoring.score(kb, answers)
    a = answers.values
    return Decision(
        kb=kb,
        answers=answers,
        tree=tree.walk(answers),
        scored=scored,
        weight_flips=sensitivity.weight_flips(scored.ratings, scored.weights, kb.order),
        answer_flips=sensitivity.answer_flips(kb, answers),
        plans=capacity.plans(
            kb, run, a["peak_rps"], a["p95_target_ms"], a["price_vcpu_month"], a["price_gb_month"]
        ),
        evidence=run,
    )
