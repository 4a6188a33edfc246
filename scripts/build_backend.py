"""The PEP 517 build backend: setuptools, plus the JupyterLab extension built when it is stale.

`pip install .`, `pip wheel .` and `python -m build` run it (pyproject.toml `backend-path`), as
hatch-jupyter-builder does for the Jupyter extension template: before setuptools packs anything,
`jlpm install --immutable` and `jlpm build:prod` build `labextension/` into
`progress_tracker/labextension` when that output is missing or older than its sources, and
`progress_tracker/_version.py` is written from `labextension/package.json`, the one version of
both packages. Without Node.js a stale build stops with one line saying what to install.

`python scripts/build_backend.py [LOG]` runs the same steps for `make install`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from setuptools import build_meta

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "labextension"
OUTPUT = ROOT / "progress_tracker" / "labextension"
# What `jlpm build:prod` reads; tests and lint configuration do not change the build.
SOURCE_FILES = ("package.json", "yarn.lock", ".yarnrc.yml", "tsconfig.json")
SOURCE_FOLDERS = ("src", "style")
# What the wheel must carry (the template's `ensured-targets`).
BUILT_FILES = ("package.json", "static/style.js")
NODE_MINIMUM = (20, 19)  # what the Rspack-based @jupyter/builder supports
LOG_TAIL_LINES = 40


class BuildError(SystemExit):
    """Stops the build with one line on stderr (pip shows it as the reason), no traceback."""

    def __init__(self, message: str):
        super().__init__(f"jupyter-progress-tracker: {message}")


def version() -> str:
    """The version of both packages: the labextension's package.json."""
    return json.loads((SOURCE / "package.json").read_text())["version"]


def write_version() -> None:
    """Write `progress_tracker/_version.py`, which setup.cfg reads as the package version."""
    target = ROOT / "progress_tracker" / "_version.py"
    text = (
        "# Written by the build (scripts/build_backend.py) from labextension/package.json,\n"
        "# the one version of both packages: change the version there, not here.\n"
        f'__version__ = "{version()}"\n'
    )
    if not target.exists() or target.read_text() != text:
        target.write_text(text)


def _sources() -> list[Path]:
    files = [SOURCE / name for name in SOURCE_FILES if (SOURCE / name).exists()]
    for folder in SOURCE_FOLDERS:
        files += [path for path in (SOURCE / folder).rglob("*") if path.is_file()]
    return files


def labextension_is_stale() -> bool:
    """True when the built labextension is missing or older than one of its sources."""
    built = [OUTPUT / name for name in BUILT_FILES]
    if not all(path.exists() for path in built):
        return True
    built_at = min(path.stat().st_mtime for path in built)
    return any(path.stat().st_mtime > built_at for path in _sources())


def _node() -> str:
    wanted = "Node.js >= " + ".".join(map(str, NODE_MINIMUM))
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        raise BuildError(
            f"building the JupyterLab extension needs {wanted} on PATH; none was found "
            "(install it, or install the released wheel, which needs no Node.js)."
        )
    found = subprocess.run(
        [node, "--version"], check=False, capture_output=True, text=True
    ).stdout.strip()
    if tuple(int(part) for part in re.findall(r"\d+", found)[:2]) < NODE_MINIMUM:
        raise BuildError(f"building the JupyterLab extension needs {wanted}; {node} is {found}.")
    return node


def _jlpm() -> str:
    jlpm = shutil.which("jlpm")
    if jlpm is None:
        raise BuildError(
            "`jlpm` was not found: install the build requirement `jupyter-builder` "
            "(pip does it unless --no-build-isolation is given)."
        )
    return jlpm


def build_labextension(log: Path | None = None) -> bool:
    """Build the labextension if it is stale; True if it was built. Its output goes to `log`
    (a temporary file, kept only if the build fails, when none is given)."""
    if not labextension_is_stale():
        return False
    node, jlpm = _node(), _jlpm()
    env = {
        **os.environ,
        "PATH": os.pathsep.join(
            [str(Path(jlpm).parent), str(Path(node).parent), os.environ["PATH"]]
        ),
        "YARN_ENABLE_PROGRESS_BARS": "0",
    }
    keep_log = log is not None
    log = log or Path(tempfile.mkstemp(prefix="progress-tracker-labextension-", suffix=".log")[1])
    with log.open("a") as out:
        for step in (["install", "--immutable"], ["build:prod"]):
            out.write(f"$ jlpm {' '.join(step)}\n")
            out.flush()
            done = subprocess.run(
                [jlpm, *step],
                check=False,
                cwd=SOURCE,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            if done.returncode != 0:
                tail = log.read_text().splitlines()[-LOG_TAIL_LINES:]
                print("\n".join(tail), file=sys.stderr)
                raise BuildError(f"`jlpm {' '.join(step)}` failed in labextension/ (log: {log})")
    missing = [name for name in BUILT_FILES if not (OUTPUT / name).exists()]
    if missing:
        raise BuildError(f"the labextension build did not write {', '.join(missing)}")
    (OUTPUT / "package.json").touch()  # newer than every source: the next build skips it
    if not keep_log:
        log.unlink()
    return True


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    """A wheel carrying the built labextension, its install.json and the server config."""
    write_version()
    build_labextension()
    return build_meta.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_sdist(sdist_directory, config_settings=None):
    """An sdist with the labextension's sources and its build (a wheel from it needs no
    Node.js unless a source changed)."""
    write_version()
    build_labextension()
    return build_meta.build_sdist(sdist_directory, config_settings)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    """An editable install; `make install` builds the labextension and links it in place."""
    write_version()
    return build_meta.build_editable(wheel_directory, config_settings, metadata_directory)


def _versioned(hook):
    """A setuptools hook that reads setup.cfg, which needs `_version.py` written first."""

    def run(*args, **kwargs):
        write_version()
        return hook(*args, **kwargs)

    run.__name__, run.__doc__ = hook.__name__, hook.__doc__
    return run


get_requires_for_build_wheel = _versioned(build_meta.get_requires_for_build_wheel)
get_requires_for_build_sdist = _versioned(build_meta.get_requires_for_build_sdist)
get_requires_for_build_editable = _versioned(build_meta.get_requires_for_build_editable)
prepare_metadata_for_build_wheel = _versioned(build_meta.prepare_metadata_for_build_wheel)
prepare_metadata_for_build_editable = _versioned(build_meta.prepare_metadata_for_build_editable)


if __name__ == "__main__":
    # for `make install`: `--stale` answers by the exit status; otherwise build if stale
    if sys.argv[1:] == ["--stale"]:
        sys.exit(0 if labextension_is_stale() else 1)
    write_version()
    build_labextension(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
