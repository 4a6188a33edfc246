"""The struggle signals match their published definitions on hand-computed example sequences."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from progress_tracker.store.read.signals import (
    Run,
    attempts_since_success,
    error_quotient,
    error_type,
    repeated_error_density,
    signals,
    time_on_cell,
)

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def runs(*outcomes: str, cell: str = "c1", every_s: int = 30) -> list[Run]:
    """Runs of one cell: 'ok', 'stop' (interrupted) or an error message, `every_s` apart."""
    made = []
    for index, outcome in enumerate(outcomes):
        at = START + timedelta(seconds=index * every_s)
        if outcome == "ok":
            made.append(Run(at=at, cell=cell))
        elif outcome == "stop":
            made.append(Run(at=at, cell=cell, interrupted=True))
        else:
            made.append(Run(at=at, cell=cell, failed=True, error=outcome))
    return made


PRICE, UNITS = "KeyError: 'price'", "KeyError: 'units'"
NAME, TYPE = "NameError: name 'df' is not defined", "TypeError: unhashable type: 'list'"


def test_the_error_type_is_the_exceptions_name():
    assert error_type(PRICE) == "KeyError"
    assert error_type("SyntaxError") == "SyntaxError"
    assert error_type(None) == ""


class TestErrorQuotient:
    def test_scores_each_pair_and_divides_by_eight_per_pair(self):
        # (price, price) 2+3+3 = 8; (price, units) 2+3 = 5; (units, ok) 0: 13 / (3 * 8)
        assert error_quotient(runs(PRICE, PRICE, UNITS, "ok")) == pytest.approx(13 / 24)

    def test_two_failures_of_different_types_score_two(self):
        assert error_quotient(runs(NAME, TYPE)) == pytest.approx(2 / 8)

    def test_successes_score_nothing(self):
        assert error_quotient(runs("ok", "ok", "ok")) == 0

    def test_the_same_error_again_and_again_is_one(self):
        assert error_quotient(runs(PRICE, PRICE, PRICE, PRICE)) == 1

    def test_is_undefined_with_fewer_than_two_runs(self):
        assert error_quotient(runs(PRICE)) is None
        assert error_quotient([]) is None

    def test_an_interrupted_run_takes_no_part_in_pairs(self):
        assert error_quotient(runs(PRICE, "stop", PRICE)) == 1

    def test_pairs_follow_time_not_arrival_order(self):
        late_first = list(reversed(runs(PRICE, PRICE, "ok")))
        assert error_quotient(late_first) == pytest.approx(8 / 16)


class TestRepeatedErrorDensity:
    def test_each_string_of_repeats_adds_r_squared_over_r_plus_one(self):
        # price x3 (r = 2: 4/3), then ok, then units x2 (r = 1: 1/2)
        assert repeated_error_density(runs(PRICE, PRICE, PRICE, "ok", UNITS, UNITS)) == (
            pytest.approx(4 / 3 + 1 / 2)
        )

    def test_different_errors_in_a_row_repeat_nothing(self):
        assert repeated_error_density(runs(PRICE, UNITS, PRICE)) == 0

    def test_one_long_string_weighs_more_than_short_ones(self):
        long = repeated_error_density(runs(PRICE, PRICE, PRICE, PRICE))  # r = 3: 9/4
        short = repeated_error_density(runs(PRICE, PRICE, "ok", PRICE, PRICE))  # 1/2 + 1/2
        assert (long, short) == (pytest.approx(9 / 4), pytest.approx(1.0))

    def test_five_identical_failures(self):
        assert repeated_error_density(runs(*[NAME] * 5)) == pytest.approx(16 / 5)

    def test_an_interrupted_run_does_not_end_a_string(self):
        assert repeated_error_density(runs(PRICE, "stop", PRICE)) == pytest.approx(1 / 2)


def test_time_on_cell_counts_the_gaps_before_its_runs_up_to_the_idle_cut_off():
    at = [0, 60, 90, 1000, 1030]
    cells = ["c1", "c2", "c2", "c2", "c1"]
    activity = [
        Run(at=START + timedelta(seconds=s), cell=c) for s, c in zip(at, cells, strict=True)
    ]
    cutoff = timedelta(minutes=5)
    # c2: 60 + 30 + min(910, 300); c1: its first run has nothing before it, then 30
    assert time_on_cell(activity, "c2", cutoff) == 390
    assert time_on_cell(activity, "c1", cutoff) == 30
    assert time_on_cell(activity, "c3", cutoff) == 0


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ((PRICE, "ok", PRICE, UNITS), 2),
        ((PRICE, PRICE), 2),
        (("ok",), 0),
        ((PRICE, "ok", "stop"), 1),
    ],
)
def test_attempts_since_the_last_success(outcomes, expected):
    assert attempts_since_success(runs(*outcomes)) == expected


def test_all_signals_of_a_cell_from_the_whole_notebook():
    activity = runs(PRICE, PRICE, "ok", cell="c1") + runs("ok", cell="c2", every_s=100)
    found = signals(activity, "c1", timedelta(minutes=10))
    assert found.error_quotient == pytest.approx(8 / 16)
    assert found.repeated_error_density == pytest.approx(1 / 2)
    assert found.time_on_cell_s == 60  # the c2 run sits at 0 s, before c1's runs at 0, 30, 60
    assert found.attempts_since_success == 0
