"""The demo's throw-away folder: the server root of the demo, with its notebook and database."""

from __future__ import annotations

import shutil
from pathlib import Path

from jupyter_core.paths import jupyter_data_dir
from sqlalchemy.engine.url import make_url

from .course import write_course

# A dot file: JupyterLab does not list it next to the notebook, so nobody opens it by mistake.
DATABASE_FILE = ".demo.sqlite"


def demo_folder(data_dir: str | Path | None = None) -> Path:
    """Where the demo lives: `progress_tracker/demo` in the Jupyter data directory."""
    return Path(data_dir or jupyter_data_dir()) / "progress_tracker" / "demo"


def demo_database_url(folder: Path) -> str:
    """The demo's own SQLite database, deleted with its folder (never the default database)."""
    return f"sqlite+aiosqlite:///{folder / DATABASE_FILE}"


def uses_demo_database(database_url: str, folder: Path) -> bool:
    """Whether a server's database is the demo's own (the only one the demo writes to)."""
    database = make_url(database_url).database
    if not database or database == ":memory:":
        return False
    return Path(database).expanduser().resolve() == (folder / DATABASE_FILE).resolve()


def prepare_demo_folder(folder: Path) -> Path:
    """Create the folder with the notebook and its data (kept as they are if present)."""
    write_course(folder)
    return folder


def reset_demo_folder(folder: Path) -> None:
    """Delete the demo: its notebook, data and database; the next start begins afresh."""
    shutil.rmtree(folder, ignore_errors=True)
