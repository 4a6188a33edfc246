"""The pace's distribution of progress: median and quartiles of cells completed per student."""

from __future__ import annotations

from progress_tracker.store.read.pace import _pace_series


def test_each_bucket_has_the_quartiles_of_cells_completed_so_far():
    # Four students; by the end of bucket 60 they completed 1, 2, 3 and 6 cells.
    completions = [(1, 0)] + [(2, 0)] * 2 + [(3, 0)] * 3 + [(4, 0)] * 6
    series = _pace_series([(0, 12, 0, 4)], completions, 60)
    point = series[0]
    assert point["cellsCompletedMedian"] == 2.5
    # inclusive quartiles of [1, 2, 3, 6]: 1.75 and 3.75
    assert point["cellsCompletedQ1"] == 1.75
    assert point["cellsCompletedQ3"] == 3.75


def test_later_completions_do_not_count_in_earlier_buckets():
    completions = [(1, 0), (2, 60), (2, 60)]
    first, second = _pace_series([(0, 1, 0, 1), (60, 2, 0, 1)], completions, 60)
    # student 2 completes nothing before 60: 0 and 1 cells, then 1 and 2
    assert (first["cellsCompletedQ1"], first["cellsCompletedQ3"]) == (0.25, 0.75)
    assert (second["cellsCompletedQ1"], second["cellsCompletedQ3"]) == (1.25, 1.75)


def test_a_bucket_before_any_completion_is_all_zero():
    (point,) = _pace_series([(0, 3, 3, 2)], [], 60)
    assert (point["cellsCompletedMedian"], point["cellsCompletedQ1"]) == (0, 0.0)
