"""From a copy of the repository to a working JupyterLab, as a new user installs it.

The standard build (`python -m build`: sdist, then the wheel from it) runs on a copy of the
repository's files, the wheel goes into a fresh venv with only its declared dependencies, and that
venv's own `jupyter` is asked what a user would ask. Nothing is installed into the environment
running the tests.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.conftest import require
from tests.jupyter_process import free_port

REPO = Path(__file__).resolve().parents[1]
DIST = "jupyter_progress_tracker"
pytestmark = [pytest.mark.packaging, pytest.mark.timeout(1800)]


def run(*command: str | Path, **kwargs) -> subprocess.CompletedProcess[str]:
    """Run a command; on failure the assertion shows what it printed."""
    done = subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=False, **kwargs
    )
    assert done.returncode == 0, f"{command} exited {done.returncode}:\n{done.stdout}{done.stderr}"
    return done


def repository_files() -> list[str]:
    """What a clone of this checkout would hold: tracked files plus uncommitted ones."""
    listed = run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=REPO)
    return [name for name in listed.stdout.split("\0") if name and (REPO / name).is_file()]


@pytest.fixture(scope="module")
def clean_room(tmp_path_factory) -> Path:
    """A copy of the repository's files only: no venv, node_modules or built labextension."""
    require(shutil.which("git") is not None, "git is not installed")
    require(shutil.which("node") is not None, "Node.js is not installed (the build needs it)")
    copy = tmp_path_factory.mktemp("clean-room") / "progress-tracker"
    for name in repository_files():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, copy / name)
    assert not (copy / "progress_tracker" / "labextension").exists()
    return copy


@pytest.fixture(scope="module")
def dists(clean_room) -> dict[str, Path]:
    """`python -m build`: the sdist, then the wheel built from the sdist (isolated builds)."""
    out = clean_room.parent / "dist"
    run(sys.executable, "-m", "build", "--outdir", out, clean_room, cwd=clean_room.parent)
    [sdist] = out.glob(f"{DIST}-*.tar.gz")
    [wheel] = out.glob(f"{DIST}-*-py3-none-any.whl")
    return {"sdist": sdist, "wheel": wheel}


# What ties a shell to the development environment or to a configured deployment.
DEVELOPMENT_VARIABLES = re.compile(
    r"VIRTUAL_ENV|PYTHON(PATH|HOME)|CONDA_.*|JUPYTER_.*|DATABASE_URL|REDIS_URL|"
    r"PROGRESS_TRACKER_.*|INFLUXDB_.*"
)


def isolated_env(root: Path, venv: Path) -> dict[str, str]:
    """A new user's shell on this machine: its settings (certificates, pip configuration and
    caches), but only this venv's bin on PATH (no Node.js) and Jupyter folders of its own."""
    env = {k: v for k, v in os.environ.items() if not DEVELOPMENT_VARIABLES.fullmatch(k)}
    env.update(
        PATH=str(venv / "bin"),
        JUPYTER_CONFIG_DIR=str(root / "jupyter" / "config"),
        JUPYTER_DATA_DIR=str(root / "jupyter" / "data"),
        JUPYTER_RUNTIME_DIR=str(root / "jupyter" / "runtime"),
    )
    return env


def with_node(env: dict[str, str]) -> dict[str, str]:
    """The same shell with the machine's PATH (and so Node.js) after the venv's bin."""
    development_bin = str(Path(sys.executable).parent)
    machine = [part for part in os.environ["PATH"].split(os.pathsep) if part != development_bin]
    return {**env, "PATH": os.pathsep.join([env["PATH"], *machine])}


@pytest.fixture(scope="module")
def venv(dists, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A fresh venv with the wheel and its declared dependencies only, installed by its own pip."""
    root = tmp_path_factory.mktemp("user")
    venv = root / "venv"
    run(sys.executable, "-m", "venv", venv)
    env = isolated_env(root, venv)
    assert shutil.which("node", path=env["PATH"]) is None
    run(venv / "bin" / "python", "-m", "pip", "install", dists["wheel"], env=env, cwd=root)
    return venv, env


def test_the_sdist_carries_the_labextension_sources_its_build_and_one_version(dists):
    with tarfile.open(dists["sdist"]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
        version = sdist.extractfile(sdist.getmember(f"{dists['sdist'].name[:-7]}/PKG-INFO"))
        metadata = version.read().decode()
    for source in (
        "labextension/package.json",
        "labextension/yarn.lock",
        "labextension/.yarnrc.yml",
        "labextension/tsconfig.json",
        "labextension/install.json",
        "labextension/src/index.ts",
        "labextension/style/index.css",
        "scripts/build_backend.py",
        "progress_tracker/labextension/package.json",
        "progress_tracker/labextension/static/style.js",
        "jupyter-config/server-config/progress_tracker.json",
    ):
        assert source in names, source
    package = json.loads((REPO / "labextension" / "package.json").read_text())
    assert f"\nVersion: {package['version']}\n" in metadata
    assert "\nName: jupyter-progress-tracker\n" in metadata


def test_the_wheel_ships_the_labextension_its_install_json_and_the_server_config(dists):
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        names = set(wheel.namelist())
        data = next(
            name.split("/")[0]
            for name in names
            if name.endswith(".data/data/etc/jupyter/jupyter_server_config.d/progress_tracker.json")
        )
        labext = f"{data}/data/share/jupyter/labextensions/progress-tracker"
        install = json.loads(wheel.read(f"{labext}/install.json"))
        built = json.loads(wheel.read(f"{labext}/package.json"))
        version = wheel.read("progress_tracker/_version.py").decode()
    assert install["packageName"] == "jupyter-progress-tracker"
    assert install["packageManager"] == "python"
    assert f"{labext}/{built['jupyterlab']['_build']['load']}" in names
    assert f'__version__ = "{built["version"]}"' in version
    assert any(name.endswith("store/alembic/versions/0001_initial.py") for name in names)
    assert not any(name.startswith("progress_tracker/labextension/") for name in names)


def test_a_wheel_from_the_sdist_needs_node_only_to_rebuild_and_says_so_in_one_line(
    dists, venv, tmp_path
):
    with tarfile.open(dists["sdist"]) as sdist:
        sdist.extractall(tmp_path, filter="data")
    [source] = tmp_path.glob(f"{DIST}-*")
    python, env = venv[0] / "bin" / "python", venv[1]

    def wheel_from_sdist(into: str, **kwargs) -> subprocess.CompletedProcess[str]:
        command = [python, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", tmp_path / into]
        return subprocess.run(
            [str(part) for part in [*command, source]],
            capture_output=True,
            text=True,
            check=False,
            **kwargs,
        )

    as_shipped = wheel_from_sdist("as-shipped", env=env)  # its build is newer than its sources
    assert as_shipped.returncode == 0, as_shipped.stderr

    shutil.rmtree(source / "progress_tracker" / "labextension")
    no_node = wheel_from_sdist("no-node", env=env)
    assert no_node.returncode != 0
    reason = [line for line in no_node.stderr.splitlines() if "jupyter-progress-tracker:" in line]
    assert len(reason) == 1 and "needs Node.js" in reason[0], no_node.stderr

    rebuilt = wheel_from_sdist("rebuilt", env=with_node(env))
    assert rebuilt.returncode == 0, rebuilt.stderr
    [wheel] = (tmp_path / "rebuilt").glob(f"{DIST}-*.whl")
    with zipfile.ZipFile(wheel) as built:
        assert any(
            name.endswith("labextensions/progress-tracker/static/style.js")
            for name in built.namelist()
        )


def test_the_wheel_declares_every_dependency_it_needs(venv):
    python, env = venv[0] / "bin" / "python", venv[1]
    run(python, "-m", "pip", "check", env=env)
    imported = run(
        python,
        "-c",
        "import progress_tracker.app; print(progress_tracker.__file__)",
        env=env,
        cwd=venv[0].parent,
    )
    assert imported.stdout.strip().startswith(str(venv[0])), "the wheel's copy is imported"


def test_jupyter_lists_both_extensions_enabled_and_ok(venv):
    jupyter, env = venv[0] / "bin" / "jupyter", venv[1]
    servers = run(jupyter, "server", "extension", "list", env=env, cwd=venv[0].parent)
    server_lines = plain(servers.stdout + servers.stderr)
    assert re.search(r"progress_tracker enabled", server_lines), server_lines
    assert re.search(r"progress_tracker \S+ OK", server_lines), server_lines
    labs = run(jupyter, "labextension", "list", env=env, cwd=venv[0].parent)
    lab_lines = [
        line for line in plain(labs.stdout + labs.stderr).splitlines() if "progress-tracker" in line
    ]
    assert len(lab_lines) == 1, labs
    assert re.search(r"enabled\s+OK\s+\(python, jupyter-progress-tracker\)", lab_lines[0])


def test_jupyter_lab_from_the_venv_stores_the_readme_event_and_serves_the_dashboard(venv):
    lab = JupyterLab(*venv)
    lab.start()
    try:
        status, reply = lab.call("POST", "api/v1/events", readme_curl_body())
        assert status == 202 and reply["processed_count"] == 1
        _, stored = lab.call("GET", "api/v1/executions")
        assert [e["eventId"] for e in stored["executions"]] == [readme_curl_body()[0]["eventId"]]

        page = lab.fetch("lab").decode()
        assert '"progress-tracker"' in page  # listed among the page's federated extensions
        built = json.loads(
            (venv[0] / "share/jupyter/labextensions/progress-tracker/package.json").read_text()
        )
        script = lab.fetch(
            f"lab/extensions/progress-tracker/{built['jupyterlab']['_build']['load']}"
        )
        assert b"progress-tracker" in script
    finally:
        assert lab.stop() == 0, lab.log.read_text()


def test_the_demo_extra_brings_what_the_demo_notebook_needs(venv, dists):
    """Runs after the plain-install tests of this module: it adds the extra to the same venv."""
    python, env = venv[0] / "bin" / "python", venv[1]
    run(python, "-m", "pip", "install", f"{dists['wheel']}[demo]", env=env, cwd=venv[0].parent)
    run(python, "-m", "pip", "check", env=env)
    run(python, "-c", "import pandas", env=env, cwd=venv[0].parent)
    shown = run(python, "-m", "progress_tracker.demo", "--help", env=env, cwd=venv[0].parent)
    assert "simulated class" in shown.stdout


def readme_curl_body() -> list[dict]:
    """The event body of the README's curl example."""
    readme = (REPO / "README.md").read_text()
    match = re.search(r"curl -X POST .*?-d '(\[.*?\])'", readme, re.DOTALL)
    assert match, "the README shows a curl POST of events"
    return json.loads(match.group(1))


def plain(text: str) -> str:
    """Text without the colour codes `jupyter ... list` prints."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


class JupyterLab:
    """`jupyter lab` started from the user's venv, with nothing but its installed configuration."""

    def __init__(self, venv: Path, env: dict[str, str]):
        self.venv, self.env = venv, env
        self.root = Path(env["JUPYTER_DATA_DIR"]).parent / "notebooks"
        self.root.mkdir(exist_ok=True)
        self.log = self.root.parent / "lab.log"
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        root_flag = ["--allow-root"] if os.geteuid() == 0 else []
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(self.venv / "bin" / "jupyter"),
                    "lab",
                    *root_flag,
                    "--no-browser",
                    "--ServerApp.ip=127.0.0.1",
                    f"--ServerApp.port={self.port}",
                    "--ServerApp.port_retries=0",
                    f"--IdentityProvider.token={self.token}",
                    f"--ServerApp.root_dir={self.root}",
                ],
                env=self.env,
                cwd=self.root,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                self.fetch("api/status")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise AssertionError(f"jupyter lab did not answer:\n{self.log.read_text()}")

    def fetch(self, path: str, method: str = "GET", body: object = None) -> bytes:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            self.status = response.status
            return response.read()

    def call(self, method: str, path: str, body: object = None) -> tuple[int, dict]:
        reply = self.fetch(path, method, body)
        return self.status, json.loads(reply)

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)  # the server's own clean shutdown
        return self.process.wait(timeout=60)
