"""After every other test: the development install they ran in still works (`make run` next).

tests/conftest.py runs this module last, whatever the order of collection.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def listed(*command: str) -> str:
    """What `jupyter ... list` of this venv prints, without colour codes."""
    done = subprocess.run(
        [str(BIN / "jupyter"), *command], capture_output=True, text=True, check=True, cwd=REPO
    )
    return re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)


def test_the_package_is_still_the_editable_install_of_this_checkout():
    # -I: from the installed distribution, not from the working directory
    done = subprocess.run(
        [sys.executable, "-I", "-c", "import progress_tracker; print(progress_tracker.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd="/",
    )
    assert Path(done.stdout.strip()).resolve().parent == REPO / "progress_tracker"


def test_jupyter_still_lists_the_server_extension_enabled_and_ok():
    servers = listed("server", "extension", "list")
    assert re.search(r"progress_tracker enabled", servers), servers
    assert re.search(r"progress_tracker \S+ OK", servers), servers


def test_jupyter_still_lists_the_labextension_enabled_and_ok():
    labs = listed("labextension", "list")
    assert re.search(r"progress-tracker \S+ enabled\s+OK", labs), labs
