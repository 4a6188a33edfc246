"""Struggle signals of a student on a cell, with the published definitions the dashboard shows.

Pure functions over a student's runs (no SQL): the read side feeds them the stored executions.
Each definition below is what an instructor reads on hover, so the wording is part of the API.

- **Error Quotient** (Jadud, 2006), on the consecutive runs of one cell: each pair of runs scores
  0 unless both failed; two failures score 2, plus 3 when they are the same error type (the
  exception's name), plus 3 when they are the same error (the whole message: the same name, the
  same key or line; the notebook version of Jadud's "same location"). The quotient is the sum
  divided by 8 per pair: 0 (never a failure followed by a failure) to 1 (the same error again
  and again). Undefined with fewer than two runs.
- **Repeated Error Density** (Becker, 2016): every string of consecutive runs of one cell that
  failed with the same message, repeated r times (r + 1 identical failures in a row), adds
  r^2 / (r + 1); a success or a different error ends a string. 0 when no error repeats; it grows
  with long strings of the same error more than with many short ones.
- **Time on cell**: the student's active time on the cell, in seconds. The time between any
  activity of the student in the notebook and their next run counts for the cell of that run,
  at most the idle cut-off (a longer gap is a break: only the cut-off counts).
- **Attempts since the last success**: the runs of the cell after its latest successful run (all
  of them when it never succeeded).

Interrupted runs (the student stopped the kernel) are neither successes nor failures: they end
no string of errors, take no part in pairs, and count as attempts.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

PAIR_MAXIMUM = 8  # 2 (both failed) + 3 (same type) + 3 (same error)


@dataclass(frozen=True)
class Run:
    """One run of a cell by one student, as the signals need it."""

    at: datetime
    cell: str
    failed: bool = False
    error: str | None = None
    interrupted: bool = False


@dataclass(frozen=True)
class Signals:
    """The struggle signals of one student on one cell."""

    error_quotient: float | None
    repeated_error_density: float
    time_on_cell_s: float
    attempts_since_success: int


def error_type(message: str | None) -> str:
    """The exception's name of an error message (`"KeyError: 'x'"` -> `"KeyError"`)."""
    return (message or "").split(":", 1)[0].strip()


def _outcomes(runs: Sequence[Run]) -> list[Run]:
    """Runs with an outcome (interrupted ones have none), oldest first."""
    return [run for run in sorted(runs, key=lambda r: r.at) if not run.interrupted]


def error_quotient(runs: Sequence[Run]) -> float | None:
    """Jadud's Error Quotient of the runs of one cell (None with fewer than two)."""
    ordered = _outcomes(runs)
    pairs = list(itertools.pairwise(ordered))
    if not pairs:
        return None
    total = 0
    for first, second in pairs:
        if not (first.failed and second.failed):
            continue
        total += 2
        if error_type(first.error) == error_type(second.error):
            total += 3
        if (first.error or "") == (second.error or ""):
            total += 3
    return total / (PAIR_MAXIMUM * len(pairs))


def repeated_error_density(runs: Sequence[Run]) -> float:
    """Becker's Repeated Error Density of the runs of one cell."""
    density, repeats, previous = 0.0, 0, None
    for run in _outcomes(runs) + [Run(at=datetime.max, cell="", failed=False)]:
        same = run.failed and previous is not None and run.error == previous
        if same:
            repeats += 1
            continue
        if repeats:
            density += repeats**2 / (repeats + 1)
        repeats = 0
        previous = run.error if run.failed else None
    return density


def time_on_cell(activity: Sequence[Run], cell: str, idle_cutoff: timedelta) -> float:
    """Active seconds on `cell`, from the student's runs of every cell of the notebook."""
    ordered = sorted(activity, key=lambda r: r.at)
    cutoff = idle_cutoff.total_seconds()
    seconds = 0.0
    for before, run in itertools.pairwise(ordered):
        if run.cell == cell:
            seconds += min((run.at - before.at).total_seconds(), cutoff)
    return seconds


def attempts_since_success(runs: Sequence[Run]) -> int:
    """Runs after the latest successful one (all runs when none succeeded)."""
    ordered = sorted(runs, key=lambda r: r.at)
    successes = [i for i, run in enumerate(ordered) if not run.failed and not run.interrupted]
    return len(ordered) - (successes[-1] + 1) if successes else len(ordered)


def signals(activity: Sequence[Run], cell: str, idle_cutoff: timedelta) -> Signals:
    """Every signal of one student on `cell`, from their runs of the whole notebook."""
    runs = [run for run in activity if run.cell == cell]
    return Signals(
        error_quotient=error_quotient(runs),
        repeated_error_density=repeated_error_density(runs),
        time_on_cell_s=time_on_cell(activity, cell, idle_cutoff),
        attempts_since_success=attempts_since_success(runs),
    )


# What the dashboard shows on hover, by the drill-down's signal names (`docs/api.md`).
DEFINITIONS = {
    "errorQuotient": (
        "Error Quotient (Jadud, 2006): over consecutive runs of the cell, each pair scores 2 when "
        "both failed, +3 for the same error type, +3 for the same message; the sum divided by 8 "
        "per pair. 0 = no failure followed by a failure, 1 = the same error again and again; "
        "none with fewer than two runs. Interrupted runs are left out."
    ),
    "repeatedErrorDensity": (
        "Repeated Error Density (Becker, 2016): each string of r + 1 consecutive failures with "
        "the same message adds r\u00b2 / (r + 1). 0 when no error repeats; grows with long "
        "strings of the same error."
    ),
    "timeOnCellS": (
        "Time on cell, in seconds: the time between the student's previous run in the notebook "
        "and each run of this cell, at most the idle cut-off per gap (a longer gap is a break)."
    ),
    "attemptsSinceSuccess": (
        "Attempts since the last success: the runs of the cell after its latest successful run "
        "(all of them when it never succeeded)."
    ),
}


def as_wire(found: Signals) -> dict[str, float | int | None]:
    """The signals by their drill-down names."""
    return {
        "errorQuotient": found.error_quotient,
        "repeatedErrorDensity": found.repeated_error_density,
        "timeOnCellS": found.time_on_cell_s,
        "attemptsSinceSuccess": found.attempts_since_success,
    }
