"""The side measurements' records come back from JSON as they were written."""

from __future__ import annotations

import json

from framematrix.measure.batteries.battery import Battery
from framematrix.measure.coldstart import ColdStart
from framematrix.measure.footprint import Footprint
from framematrix.measure.testclient.runs import TestClientRun


def test_each_record_survives_json_with_its_tuples_and_without_its_derived_figures() -> None:
    records = [
        ColdStart("flask", "gunicorn-gthread", (0.41, 0.39), 0.12, 31.5),
        ColdStart("django", "granian", (), None, None, error="did not start"),
        Footprint("fastapi", ("fastapi",), ("fastapi", "pydantic"), 12.5, ("uvloop",)),
        TestClientRun(
            "flask", "FlaskClient", 3, 0.2, [{"name": "x", "passed": True, "seconds": 0.01}]
        ),
        Battery("django", "admin", "built in", 2, "INSTALLED_APPS", ("pillow",)),
    ]
    for record in records:
        written = json.loads(json.dumps(record.record()))
        assert type(record).from_record(written) == record, written


def test_a_record_written_before_an_optional_field_existed_reads_it_as_none() -> None:
    older = {"contestant": "flask", "server": "gunicorn-gthread", "starts_s": [0.4]}
    found = ColdStart.from_record(older)
    assert found.starts_s == (0.4,) and found.import_s is None and found.error is None
