"""Installing the wheel is all a hub image needs: both extensions enabled and OK, no node."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import require

REPO = Path(__file__).resolve().parents[1]


def test_the_wheel_installs_the_server_config_and_the_prebuilt_labextension(tmp_path):
    require(
        (REPO / "progress_tracker" / "labextension" / "package.json").exists(),
        "the labextension is not built (make labextension)",
    )
    dist, prefix = tmp_path / "dist", tmp_path / "prefix"
    pip = [sys.executable, "-m", "pip"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(REPO)],
        check=True,
        cwd=tmp_path,
    )
    [wheel] = dist.glob("progress_tracker-*.whl")
    subprocess.run(
        [*pip, "install", "--no-deps", "-q", "--prefix", str(prefix), str(wheel)], check=True
    )
    site = next(prefix.glob("lib/python*/site-packages"))
    assert (prefix / "etc/jupyter/jupyter_server_config.d/progress_tracker.json").exists()
    assert (prefix / "share/jupyter/labextensions/progress-tracker/package.json").exists()
    assert list((prefix / "share/jupyter/labextensions/progress-tracker/static").glob("*.js"))
    assert (site / "progress_tracker/store/alembic/versions/0001_initial.py").exists()

    no_node = {
        **os.environ,
        "PATH": str(Path(sys.executable).parent),
        "PYTHONPATH": str(site),
        "JUPYTER_PATH": str(prefix / "share/jupyter"),
        "JUPYTER_CONFIG_PATH": str(prefix / "etc/jupyter"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_PREFER_ENV_PATH": "0",
    }
    assert shutil.which("node", path=no_node["PATH"]) is None
    jupyter = [sys.executable, "-m", "jupyter"]
    labext = subprocess.run(
        [*jupyter, "labextension", "list"],
        env=no_node,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    lab_lines = [
        line for line in (labext.stdout + labext.stderr).splitlines() if "progress-tracker" in line
    ]
    assert lab_lines and all("enabled" in line and "OK" in line for line in lab_lines), labext
    probe = (
        "from jupyter_core.paths import jupyter_config_path\n"
        "from jupyter_server.extension.config import ExtensionConfigManager\n"
        "from jupyter_server.extension.manager import ExtensionPackage\n"
        "import progress_tracker\n"
        "enabled = ExtensionConfigManager(read_config_path=jupyter_config_path())"
        ".get_jpserver_extensions()\n"
        "package = ExtensionPackage(name='progress_tracker', enabled=True)\n"
        "print(enabled.get('progress_tracker'), package.validate(), progress_tracker.__file__)\n"
    )
    server = subprocess.run(
        [sys.executable, "-c", probe],
        env=no_node,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    enabled, valid, module = server.stdout.split()
    assert (enabled, valid) == ("True", "True")
    assert module.startswith(str(site)), "the wheel's copy is the one imported"
