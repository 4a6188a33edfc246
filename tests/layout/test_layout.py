"""The package reads as its flow: one folder per stage, no import circles, small modules."""

from __future__ import annotations

from tests.layout.imports import PACKAGE, cycles, graph, modules, reachable

MAX_LINES = 300
STAGES = ("access", "handlers", "pipelines", "queue", "sinks", "live", "store")


def test_there_is_no_import_circle():
    assert cycles(graph()) == []


def test_every_stage_is_a_folder():
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").is_file(), stage


def test_no_module_is_longer_than_a_screenful_or_three():
    long = {
        name: lines
        for name, path in modules().items()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_nothing_below_the_handlers_imports_a_handler():
    edges = graph()
    importers = {
        name
        for name, targets in edges.items()
        if any(target.startswith("progress_tracker.handlers") for target in targets)
    }
    assert {name for name in importers if not name.startswith("progress_tracker.handlers")} == {
        "progress_tracker.app"
    }


def test_the_lock_down_imports_nothing_of_the_pipeline():
    assert reachable(graph(), "progress_tracker.access.lockdown") == {"progress_tracker.access"}
