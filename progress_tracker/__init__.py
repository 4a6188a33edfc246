"""progress-tracker: live learning analytics for Jupyter teaching."""

from __future__ import annotations

from ._version import __version__

__all__ = ["__version__"]


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    from .app import ProgressTracker

    return [{"module": "progress_tracker", "app": ProgressTracker}]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "progress-tracker"}]
