"""`python -m progress_tracker.demo`: JupyterLab on the demo folder, with the simulated class.

Other arguments go to `jupyter lab` (e.g. `--port=9999`, `--log-level=INFO`).
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import sys
from pathlib import Path

from .course import DEMO_NOTEBOOK
from .folder import demo_database_url, demo_folder, prepare_demo_folder, reset_demo_folder


def lab_arguments(folder: Path) -> list[str]:
    """`jupyter lab` options of the demo; the user's own arguments come after and win."""
    return [
        f"--ServerApp.root_dir={folder}",
        f"--LabApp.default_url=/lab/tree/{DEMO_NOTEBOOK}",
        "--ProgressTracker.demo_class=True",
        f"--ProgressTracker.database_url={demo_database_url(folder)}",
        # a quiet start: the URL first, then what to do; --log-level=INFO shows the rest
        "--Application.log_level=WARN",
    ]


def show_the_guide() -> None:
    """Print the simulation's guide lines (its own logger) however quiet the server is."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("\n%(message)s\n"))
    guide = logging.getLogger("progress_tracker.demo.simulation")
    guide.addHandler(handler)
    guide.setLevel(logging.INFO)
    guide.propagate = False


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m progress_tracker.demo",
        description="JupyterLab on a throw-away folder where a simulated class works through "
        f"{DEMO_NOTEBOOK}; its data lives in that folder's own database.",
        epilog="Any other argument is passed to `jupyter lab`.",
    )
    parser.add_argument(
        "--reset", action="store_true", help="delete the demo folder first (notebook, database)"
    )
    options, lab_args = parser.parse_known_args(argv)
    folder = demo_folder()
    if options.reset:
        reset_demo_folder(folder)
    prepare_demo_folder(folder)
    if importlib.util.find_spec("pandas") is None:
        print(
            f"Note: {DEMO_NOTEBOOK} needs pandas, which this environment lacks: "
            "pip install 'jupyter-progress-tracker[demo]'",
            file=sys.stderr,
        )
    show_the_guide()
    from jupyterlab.labapp import LabApp

    LabApp.launch_instance([*lab_arguments(folder), *lab_args])


if __name__ == "__main__":
    main()
