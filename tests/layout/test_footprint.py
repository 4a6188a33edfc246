"""A student's server pays almost nothing: forwarder mode loads no storage, queue or InfluxDB code."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("sqlalchemy", "alembic", "asyncpg", "aiosqlite", "redis", "influxdb_client", "aiohttp")

# Loads a Jupyter server with the extension as JupyterHub starts a user server (without
# listening), then reports which heavy packages the process imported.
PROBE = """
import json, sys
from jupyter_server.serverapp import ServerApp
app = ServerApp()
app.initialize(argv=["--allow-root", "--ServerApp.jpserver_extensions=progress_tracker=True",
                     "--ServerApp.port=0", "--no-browser", *sys.argv[1:]])
mode = next(iter(app.extension_manager.extension_apps["progress_tracker"])).runtime.mode
print(json.dumps({"mode": mode, "loaded": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def loaded_by(env: dict[str, str], tmp_path, *options: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTERHUB_", "PROGRESS_"))}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *options],
        check=False,
        env={
            **clean,
            "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
            "JUPYTER_DATA_DIR": str(tmp_path / "data"),
            "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_forwarder_imports_no_storage_queue_or_influxdb_code(tmp_path):
    env = {
        "JUPYTERHUB_USER": "student1",
        "JUPYTERHUB_API_TOKEN": "server-token",
        "PROGRESS_TRACKER_URL": "http://127.0.0.1:9/services/progress-tracker/",
    }
    report = loaded_by(env, tmp_path)
    assert report["mode"] == "forwarder"
    assert [name for name in HEAVY if name in report["loaded"]] == []


def test_the_embedded_server_loads_no_queue_or_influxdb_code(tmp_path):
    report = loaded_by({}, tmp_path)
    assert report["mode"] == "embedded"
    assert "influxdb_client" not in report["loaded"] and "redis" not in report["loaded"]
