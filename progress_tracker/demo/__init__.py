"""The demo: a simulated class working through a real notebook in a throw-away folder.

`python -m progress_tracker.demo` (what `make run` runs) starts JupyterLab on that folder with
the class running; `--ProgressTracker.demo_class=True` is the server side of it.
"""

from __future__ import annotations

from .course import CELLS, DEMO_NOTEBOOK
from .folder import demo_database_url, demo_folder, prepare_demo_folder, reset_demo_folder
from .simulation import STUDENTS, DemoClass

__all__ = [
    "CELLS",
    "DEMO_NOTEBOOK",
    "STUDENTS",
    "DemoClass",
    "demo_database_url",
    "demo_folder",
    "prepare_demo_folder",
    "reset_demo_folder",
]
