"""One Markdown table builder: its cells escaped, one column count per row, its alignments."""

from __future__ import annotations

from framematrix.report.tables import markdown_table


def test_a_table_is_a_head_a_rule_and_a_line_per_row() -> None:
    text = markdown_table(["contestant", "req/s"], [["django", 745], ["flask", 892.5]])
    assert text.splitlines() == [
        "| contestant | req/s |",
        "|---|---|",
        "| django | 745 |",
        "| flask | 892.5 |",
    ]
    assert not text.endswith("\n")


def test_a_pipe_or_a_line_break_in_a_cell_keeps_the_columns() -> None:
    text = markdown_table(["a|b", "c"], [["x | y", "one\ntwo"], [None, ""]])
    assert text.splitlines() == [
        "| a\\|b | c |",
        "|---|---|",
        "| x \\| y | one two |",
        "| None |  |",
    ]
    widths = {line.count("|") - line.count("\\|") for line in text.splitlines()}
    assert widths == {3}


def test_columns_align_as_asked_and_the_rest_as_the_renderer_likes() -> None:
    text = markdown_table(["probe", "modifier", "mid", "rest"], [],
                          align=["left", "right", "center"])  # fmt: skip
    assert text.splitlines()[1] == "|:---|---:|:---:|---|"
