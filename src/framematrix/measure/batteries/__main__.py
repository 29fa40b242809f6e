"""In a fresh interpreter: every battery of one family's frameworks, probed, printed as JSON
(`python -m framematrix.measure.batteries django|other`)."""

from __future__ import annotations

import json
import logging
import sys
import warnings

from framematrix.measure.batteries.battery import Battery
from framematrix.measure.batteries.framework import Framework
from framematrix.measure.batteries.probes import PROBES
from framematrix.measure.footprint import closure


def _answers(framework: Framework, battery: str, switched: bool) -> bool | str:
    """Whether the probe passes on the app (bare, or with the battery switched on); the
    error's last line when the app cannot even be built."""
    try:
        return PROBES[battery](framework.serve(battery if switched else None))
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"


def probe(framework: Framework, battery: str) -> Battery:
    switch = framework.switches.get(battery)
    if battery != "test client" and _answers(framework, battery, False) is True:
        return Battery(framework.name, battery, "default")
    installed = closure([framework.package])
    needs = tuple(n for n in framework.needs.get(battery, ()) if n not in installed)
    if switch is None:
        return Battery(framework.name, battery, "absent", how=framework.absent.get(battery, ""))
    answered = _answers(framework, battery, True)
    if answered is True:
        note = framework.absent.get(battery)
        how = "; ".join(switch) + (f" ({note})" if note else "")
        return Battery(framework.name, battery, "built in", len(switch), how, needs)
    why = answered or "switched on, the probe still fails"
    return Battery(framework.name, battery, "absent", 0, f"{'; '.join(switch)}: {why}", needs)


def main(family: str) -> list[Battery]:
    if family == "django":
        from framematrix.measure.batteries import apps_django

        apps_django.configure()
        frameworks = apps_django.FRAMEWORKS
    else:
        from framematrix.measure.batteries import apps_other

        frameworks = apps_other.FRAMEWORKS
    return [probe(f, battery) for f in frameworks for battery in PROBES]


if __name__ == "__main__":
    logging.disable(logging.CRITICAL)  # Django logs every refused request the probes make
    warnings.simplefilter("ignore")
    print(json.dumps([b.record() for b in main(sys.argv[1])]))
