"""The live display of a run: a Rich progress bar over its trials, the current trial and its
live req/s, and each failed trial's reason as it happens."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from framematrix.run.runner import Progress as RunnerProgress
from framematrix.trials import TrialResult, TrialSpec


class LiveProgress:
    """A Rich progress bar over the trials, with the current trial and its live req/s."""

    def __init__(self, console: Console, total_trials: int, estimated_s: float) -> None:
        self.console = console
        self.total = total_trials
        self.progress = Progress(
            TextColumn("[bold]{task.fields[label]}"),
            BarColumn(bar_width=20),
            TextColumn("{task.completed}/{task.total} trials"),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.task: TaskID | None = None
        self._trial_started = time.monotonic()
        self.estimated_s = estimated_s

    def __enter__(self) -> LiveProgress:
        self.progress.start()
        self.task = self.progress.add_task("run", total=self.total, label="starting", rate="")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.progress.stop()

    def hooks(self) -> RunnerProgress:
        return RunnerProgress(on_trial_start=self.start, on_tick=self.tick, on_trial_end=self.end)

    def start(self, spec: TrialSpec, index: int, total: int) -> None:
        assert self.task is not None
        point = spec.point
        label = (
            f"{point.who} {point.server or ''} {point.at.scenario} {point.at.label} "
            f"#{spec.trial + 1}"
        )
        self.progress.update(self.task, label=escape(label), rate="warming up")

    def tick(self, elapsed_s: float, requests: int) -> None:
        assert self.task is not None
        if elapsed_s > 0:
            self.progress.update(self.task, rate=f"{requests / elapsed_s:,.0f} req/s")

    def end(self, result: TrialResult) -> None:
        assert self.task is not None
        if not result.applicable:
            self.progress.update(self.task, advance=1, rate="[dim]n/a[/]")
            return
        status = f"{result.rps:,.0f} req/s" if result.ok else "[red]failed[/]"
        self.progress.update(self.task, advance=1, rate=status)
        if not result.ok:
            self.console.print(
                f"[red]trial failed[/] {escape(result.spec.key)}: {escape(result.reason or '')}",
                highlight=False,
            )


def display(console: Console) -> Callable[[int, float], AbstractContextManager[RunnerProgress]]:
    """The runner's live display on `console`: a progress bar per batch of trials."""

    @contextmanager
    def shown(total_trials: int, estimated_s: float) -> Iterator[RunnerProgress]:
        with LiveProgress(console, total_trials, estimated_s) as live:
            yield live.hooks()

    return shown
