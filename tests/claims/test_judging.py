"""The claims' verdicts from hand-made result sets: each claim holding, not holding, and not
tellable on this machine. Trials of one index are one round: contestants are compared round by
round (`results.statistics`), at a tie zone the run's A/A control sets (5% without one)."""

from __future__ import annotations

import pytest

from framematrix import claims
from framematrix.claims import ClaimResult, Rules, apart, evaluate, undecided
from framematrix.results.run_summary import RunSummary
from framematrix.results.summary import Spread
from framematrix.trials import TrialResult
from support.runs import article_like, as_copy, trial, trials

CODE_AS_ARTICLE = {"django": 40, "flask": 45, "fastapi": 65}


def verdicts(
    results: list[TrialResult], code: dict[str, int] | None = None
) -> dict[str, ClaimResult]:
    summary = RunSummary.of(results)
    return {c.id: c for c in evaluate(summary.loads, code, summary.noise)}


def three(
    django: tuple[float, ...],
    flask: tuple[float, ...],
    fastapi: tuple[float, ...],
    **figures: object,
) -> list[TrialResult]:
    return [
        *trials("django", django, **figures),  # type: ignore[arg-type]
        *trials("flask", flask, **figures),  # type: ignore[arg-type]
        *trials("fastapi", fastapi, **figures),  # type: ignore[arg-type]
    ]


def copy_of(contestant: str, rps: tuple[float, ...], **figures: object) -> list[TrialResult]:
    """The A/A control's trials: the same contestant from a second server, round by round."""
    return as_copy(trials(contestant, rps, **figures))  # type: ignore[arg-type]


def test_every_claim_has_a_row_and_a_section() -> None:
    found = verdicts(article_like())
    assert set(found) == {claim.id for claim, _ in claims.RUN_CLAIMS}
    assert all(c.section and c.measured and c.evidence for c in found.values())


def test_the_articles_own_figures_hold() -> None:
    found = verdicts(article_like(), CODE_AS_ARTICLE)
    for name in ("rps-order", "rps-fastapi-django", "rps-flask-django", "p95-order",
                 "memory-order", "async-for-1000-rps", "code-order"):  # fmt: skip
        assert found[name].verdict == "holds", found[name]
    assert "3.82x" in found["rps-fastapi-django"].evidence
    assert "crud c=64" in found["rps-order"].measured


def test_ordering_reversed_does_not_hold() -> None:
    found = verdicts(three((2000, 2050, 2020), (900, 910, 905), (700, 710, 705)))
    assert found["rps-order"].verdict == "does not hold"
    assert "django beats fastapi" in found["rps-order"].evidence
    assert found["rps-fastapi-django"].verdict == "does not hold"


def test_rounds_that_disagree_cannot_be_told_apart() -> None:
    # Flask over Django, round by round: 1.14x, 1.11x, 0.88x.
    found = verdicts(three((700, 900, 800), (800, 1000, 700), (2800, 2900, 2850)))
    assert found["rps-order"].verdict == "cannot tell"
    assert "flask and django not apart yet" in found["rps-order"].evidence


def test_an_interval_that_rules_the_claimed_lead_out_decides_the_claim() -> None:
    """Flask over Django, round by round: 0.95x, 0.97x, 0.99x. Level or behind is not told yet
    (the interval straddles the tie zone's lower edge), but "flask beats django" is ruled out
    either way, so the ordering does not hold; a straddle of the upper edge stays undecided."""
    found = verdicts(three((1000, 1000, 1000), (950, 970, 990), (3000, 3000, 3000)))
    assert found["rps-order"].verdict == "does not hold"
    assert "flask not ahead of django by 5%" in found["rps-order"].evidence
    found = verdicts(three((1000, 1000, 1000), (1010, 1030, 1050), (3000, 3000, 3000)))
    assert found["rps-order"].verdict == "cannot tell"
    assert "flask and django not apart yet" in found["rps-order"].evidence


def test_close_figures_are_a_tie_even_when_their_ranges_do_not_overlap() -> None:
    low, close, far = (Spread.of(v) for v in ((99, 100, 101), (102, 103, 104), (119, 120, 121)))
    assert low is not None and close is not None and far is not None
    rules = Rules()
    assert apart(low, close, "higher", rules) == "tie"  # 3% apart: inside the 5% tie zone
    assert apart(low, far, "higher", rules) == "b"
    assert apart(low, far, "lower", rules) == "a"
    assert apart(low, far, "higher", Rules(tie=0.25)) == "tie"  # a wider zone: not told apart


def test_a_missing_framework_cannot_be_told() -> None:
    results = [t for t in article_like() if t.point.contestant != "flask"]
    found = verdicts(results)
    assert found["rps-order"].verdict == "cannot tell"
    assert "flask was not measured" in found["rps-order"].evidence
    assert found["rps-fastapi-django"].verdict == "holds"


@pytest.mark.parametrize("rounds", [1, 2])
def test_fewer_than_three_trials_give_no_verdict(rounds: int) -> None:
    found = verdicts(three((700, 710)[:rounds], (900, 910)[:rounds], (2800, 2850)[:rounds]))
    assert found["rps-order"].verdict == "cannot tell"
    assert "at least 3" in found["rps-order"].evidence
    assert found["fastapi-10k"].verdict == "cannot tell"  # thresholds need three trials too


def test_a_framework_answering_with_errors_cannot_be_judged() -> None:
    results = three((700, 710, 705), (900, 910, 905), (2800, 2850, 2820))
    results.append(trial("django", 705, errors=500, index=3))  # a fourth round, 35% errors
    found = verdicts(results)
    assert found["rps-order"].verdict == "cannot tell"
    assert "errors" in found["rps-order"].evidence


def test_a_ratio_holds_inside_the_tie_zone_of_the_articles_and_nowhere_else() -> None:
    found = verdicts(three((1000, 1010, 1005), (1200, 1210, 1205), (1500, 1520, 1510)))
    assert found["rps-fastapi-django"].verdict == "does not hold"  # 1.5x, not 3.83x
    assert found["rps-flask-django"].verdict == "holds"  # 1.20x: the article's 1.20x
    # Equal frameworks are not "about 1.2x": 1.00x lies outside 1.2x's 5% tie zone.
    equal = verdicts(three((1000, 1010, 1005), (1000, 1010, 1005), (1500, 1520, 1510)))
    assert equal["rps-flask-django"].verdict == "does not hold"
    # FastAPI over Django, round by round 3.0x, 3.9x, 4.2x: the interval straddles the zone.
    straddling = verdicts(three((1000, 1000, 1000), (1200, 1200, 1200), (3000, 3900, 4200)))
    assert straddling["rps-fastapi-django"].verdict == "cannot tell"
    assert "straddles" in straddling["rps-fastapi-django"].evidence


def test_p95_and_memory_orderings() -> None:
    results = [
        *trials("django", (700, 710, 705), p95=30.0, pss=80.0),
        *trials("flask", (900, 910, 905), p95=60.0, pss=90.0),
        *trials("fastapi", (2800, 2850, 2820), p95=10.0, pss=200.0),
    ]
    found = verdicts(results)
    assert found["p95-order"].verdict == "does not hold"  # Django beats Flask
    assert found["memory-order"].verdict == "does not hold"  # FastAPI uses the most


@pytest.mark.parametrize(
    ("fastapi", "expected"),
    [
        ((3000, 3100, 3050), "holds"),
        ((400, 410, 405), "does not hold"),
        ((880, 1000, 950), "cannot tell"),  # against Flask's 900: 0.98x, 1.10x, 1.05x
    ],
)
def test_fastapi_shines_at_1000_connections(fastapi: tuple[float, ...], expected: str) -> None:
    results = [
        *trials("django", (700, 710, 705), concurrency=1000),
        *trials("flask", (900, 910, 905), concurrency=1000),
        *trials("fastapi", fastapi, concurrency=1000),
    ]
    assert verdicts(results)["fastapi-shines-1000"].verdict == expected


def test_fastapi_shines_cannot_be_told_below_1000_connections() -> None:
    found = verdicts(article_like(concurrency=256))
    assert found["fastapi-shines-1000"].verdict == "cannot tell"
    assert "never reached 1000" in found["fastapi-shines-1000"].evidence


def test_async_needed_for_1000_rps() -> None:
    sync_fast = verdicts(three((1200, 1250, 1225), (900, 910, 905), (2800, 2850, 2825)))
    assert sync_fast["async-for-1000-rps"].verdict == "does not hold"
    assert "django 1,225" in sync_fast["async-for-1000-rps"].evidence
    nobody = verdicts(three((300, 310, 305), (400, 410, 405), (800, 820, 810)))
    assert nobody["async-for-1000-rps"].verdict == "cannot tell"
    # health is not an application scenario: Flask's 5,000 req/s there proves nothing
    health = article_like() + trials("flask", (5000, 5100, 5050), scenario="health")
    assert verdicts(health)["async-for-1000-rps"].verdict == "holds"
    # Django at 980 req/s is within the 5% tie zone of 1,000: it reaches it.
    near = verdicts(three((975, 985, 980), (900, 910, 905), (2800, 2850, 2825)))
    assert near["async-for-1000-rps"].verdict == "does not hold"


def test_lines_of_code_order() -> None:
    results = article_like()
    assert verdicts(results, CODE_AS_ARTICLE)["code-order"].verdict == "holds"
    flipped = {"django": 300, "flask": 267, "fastapi": 341}
    found = verdicts(results, flipped)["code-order"]
    assert found.verdict == "does not hold"
    assert "flask 0.89x" in found.evidence
    assert verdicts(results, None)["code-order"].verdict == "cannot tell"


def test_the_default_server_is_preferred_when_a_contestant_ran_under_several() -> None:
    other = trial("fastapi", 100.0, concurrency=64, server="granian")
    results = [other, *article_like()]
    assert verdicts(results)["rps-order"].verdict == "holds"


def test_a_load_where_every_trial_failed_is_not_the_reference() -> None:
    failed = [trial(name, 0.0, ok=False, concurrency=64, index=i)
              for name in ("django", "flask", "fastapi") for i in range(3)]  # fmt: skip
    results = failed + article_like("list-posts", 16)
    found = verdicts(results)
    assert "list-posts c=16" in found["rps-order"].measured
    assert found["rps-order"].verdict == "holds"


def test_each_verdict_states_its_interval_and_the_trials_it_rests_on() -> None:
    found = verdicts(article_like())
    ratio = found["rps-fastapi-django"]
    assert ratio.interval is not None and ratio.interval[0] <= 2845 / 745 <= ratio.interval[1]
    assert ratio.trials == {"fastapi": 3, "django": 3}
    assert found["rps-order"].trials == {"fastapi": 3, "flask": 3, "django": 3}


def test_an_undecided_verdict_names_the_points_more_trials_could_decide() -> None:
    close = three((700, 900, 800), (800, 1000, 700), (2800, 2900, 2850))
    summary = RunSummary.of(close)
    results = evaluate(summary.loads, noise=summary.noise)
    order = next(r for r in results if r.id == "rps-order")
    assert order.verdict == "cannot tell"
    assert {p.contestant for p in order.more} == {"django", "flask"}
    assert {p.contestant for p in undecided(results)} >= {"django", "flask"}
    decided = verdicts(article_like())["rps-order"]
    assert decided.verdict == "holds" and decided.more == ()


def test_performance_claims_are_judged_on_each_workload_measured() -> None:
    """A claim may fail on local CRUD and hold where requests wait on an upstream."""
    crud = article_like("crud", 64)
    waiting = three((70, 71, 70.5), (72, 73, 72.5), (900, 910, 905), scenario="upstream")
    equal_crud = [t for t in crud if t.point.contestant != "fastapi"]
    equal_crud += trials("fastapi", (745, 746, 745.5))  # as fast as Django on CRUD
    found = verdicts(equal_crud + waiting)
    groups = found["rps-order"].by_workload
    assert set(groups) == {"crud", "upstream"}
    assert groups["crud"]["verdict"] == "does not hold"
    assert groups["upstream"]["verdict"] == "does not hold"  # Flask and Django within 5%
    # No point at 1,000 connections: the claim about them has no per-workload verdict at all.
    assert found["fastapi-shines-1000"].by_workload == {}
    assert found["fastapi-shines-1000"].verdict == "cannot tell"
    leads = verdicts(waiting)["rps-fastapi-django"].by_workload["upstream"]
    assert leads["verdict"] == "does not hold" and "12.84x" in leads["evidence"]


def test_the_realtime_claims_are_judged_on_the_iot_points() -> None:
    iot = [
        *trials("fastapi", (100, 100, 100), scenario="iot", p95=5.0, concurrency=100),
        *trials("django", (100, 100, 100), scenario="iot", p95=40.0, concurrency=100),
        *trials("flask", (100, 100, 100), scenario="iot", p95=30.0, concurrency=100),
    ]
    found = verdicts(article_like() + iot)
    assert found["realtime-fastapi"].verdict == "holds"
    assert "iot c=100" in found["realtime-fastapi"].measured
    native = found["websocket-native"]
    assert native.verdict == "holds" and "django needs channels" in native.evidence
    assert found["fastapi-10k"].verdict == "does not hold"  # 2,850 req/s at best
    assert "iot" not in found["rps-order"].measured  # HTTP claims stay on HTTP points


def test_the_tie_zone_is_the_runs_own_a_a_control() -> None:
    """Flask 8% over Django, round after round: apart on a quiet run (the least zone, 5%), level
    on a run whose A/A control reaches 9% (Django against its own copy: 1.04x, 0.97x, 1.0x), and
    not told apart where the control reaches beyond the article's own 1.20x gap between them
    (1.09x, 0.93x, 1.0x: about 23%), since such a zone would call the article's figures level."""
    measured = three((1000, 1000, 1000), (1080, 1080, 1080), (3800, 3800, 3800))
    assert verdicts(measured)["rps-order"].verdict == "holds"
    noisy = measured + copy_of("django", (1040, 970, 1000))
    summary = RunSummary.of(noisy)
    control = summary.noise.controls[summary.reference]  # type: ignore[index]
    assert not control.apart and 0.08 < control.tie() < 0.20
    found = verdicts(noisy)["rps-order"]
    assert found.verdict == "does not hold"
    assert "flask and django within" in found.evidence
    noisier = verdicts(measured + copy_of("django", (1090, 930, 1000)))["rps-order"]
    assert noisier.verdict == "cannot tell", noisier.evidence
    assert "holds the article's 1.20x too" in noisier.evidence


def test_a_ratio_cannot_hold_where_the_tie_zone_also_holds_no_difference() -> None:
    """Flask 1.20x Django, round after round, the article's ratio: it holds on a quiet run, but a
    run whose A/A control reaches beyond 20% (1.25x, 0.80x, 1.0x) could not tell 1.20x from
    1.00x, so it must not confirm the claim (the next, quieter run could refute it)."""
    measured = three((1000, 1000, 1000), (1200, 1200, 1200), (3800, 3800, 3800))
    assert verdicts(measured)["rps-flask-django"].verdict == "holds"
    noisy = verdicts(measured + copy_of("django", (1250, 800, 1000)))["rps-flask-django"]
    assert noisy.verdict == "cannot tell", noisy.evidence
    assert "holds 1.00x too" in noisy.evidence
    # A ratio clearly outside the zone is still refuted on the noisy run: 3.0x is not 1.20x.
    far = three((1000, 1000, 1000), (3000, 3000, 3000), (3800, 3800, 3800))
    refuted = verdicts(far + copy_of("django", (1250, 800, 1000)))["rps-flask-django"]
    assert refuted.verdict == "does not hold", refuted.evidence


def test_a_threshold_is_judged_in_its_own_points_tie_zone_not_the_runs_widest() -> None:
    """Flask's best, 900 req/s at crud, is 10% short of 1,000: not reached in crud's own tie zone
    (its control level, 5%), and a noisy image point elsewhere in the run (its control 1.5x,
    0.7x, 1.0x) must not widen crud's zone until 900 "reaches" 1,000."""
    crud = three((700, 705, 710), (900, 905, 910), (2800, 2820, 2850))
    crud += copy_of("django", (700, 705, 710))
    image = {"scenario": "image", "concurrency": 4}
    noisy_image = [
        *three((10, 10, 10), (10, 10, 10), (10, 10, 10), **image),
        *copy_of("django", (15, 7, 10), **image),
    ]
    found = verdicts(crud + noisy_image)["async-for-1000-rps"]
    assert found.verdict == "holds", found.evidence
    assert "stay clearly below 1,000" in found.evidence


def test_a_control_that_comes_out_apart_leaves_no_performance_verdict() -> None:
    """Django's copy 30% above Django in every round: the machine alone made a difference, so
    nothing it measured may be called one; the code claim is no measurement of speed."""
    found = verdicts(article_like() + copy_of("django", (970, 975, 968)), CODE_AS_ARTICLE)
    for name in ("rps-order", "rps-fastapi-django", "memory-order", "fastapi-10k",
                 "async-for-1000-rps"):  # fmt: skip
        assert found[name].verdict == "cannot tell", found[name]
        assert "A/A control came out apart" in found[name].evidence
    assert found["code-order"].verdict == "holds"


def test_a_latency_claim_is_judged_at_the_tie_zone_of_latency() -> None:
    """FastAPI's realtime p95 11% under Flask's, round after round: it leads on a quiet run; but
    where Django's second server matches the first's readings round for round while its p95
    swings by a quarter, the p95 zone is that swing, not req/s's 5%, and the lead is not told."""
    iot = {"scenario": "iot", "concurrency": 100}
    measured = [
        *trials("fastapi", (100, 100, 100), p95=27.0, **iot),  # type: ignore[arg-type]
        *trials("flask", (100, 100, 100), p95=30.0, **iot),  # type: ignore[arg-type]
        *trials("django", (100, 100, 100), p95=40.0, **iot),  # type: ignore[arg-type]
    ]
    assert verdicts(article_like() + measured)["realtime-fastapi"].verdict == "holds"
    swinging = [trial("django", 100, p95=p95, index=r, **iot) for r, p95 in enumerate((52, 30, 40))]  # type: ignore[arg-type]
    noisy = verdicts(article_like() + measured + as_copy(swinging))["realtime-fastapi"]
    assert noisy.verdict == "cannot tell", noisy.evidence
    assert "could hide a lead" in noisy.evidence
    summary = RunSummary.of(article_like() + measured + as_copy(swinging))
    ties = {at.scenario: (c.tie(), c.tie("p95_ms")) for at, c in summary.noise.controls.items()}
    assert ties["iot"][0] == 0.05 and ties["iot"][1] > 0.25


def test_level_refutes_a_lead_of_no_stated_margin_only_at_the_least_tie_zone() -> None:
    """FastAPI's realtime p95 level with Flask's: at the least zone (5%) that refutes "lowest
    latency", since no run calls less real; in a run whose p95 zone is ±25% it does not, since
    FastAPI could lead by 20% there and a quieter run would say so."""
    iot = {"scenario": "iot", "concurrency": 100}
    level = [
        *trials("fastapi", (100, 100, 100), p95=30.0, **iot),  # type: ignore[arg-type]
        *trials("flask", (100, 100, 100), p95=30.0, **iot),  # type: ignore[arg-type]
        *trials("django", (100, 100, 100), p95=40.0, **iot),  # type: ignore[arg-type]
    ]
    quiet = verdicts(article_like() + level)["realtime-fastapi"]
    assert quiet.verdict == "does not hold" and "flask level with or ahead" in quiet.evidence
    swinging = [trial("django", 100, p95=p95, index=r, **iot) for r, p95 in enumerate((48, 33, 40))]  # type: ignore[arg-type]
    noisy = verdicts(article_like() + level + as_copy(swinging))["realtime-fastapi"]
    assert noisy.verdict == "cannot tell" and "could hide a lead" in noisy.evidence
