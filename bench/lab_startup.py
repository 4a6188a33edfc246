"""JupyterLab start-up with and without the progress-tracker labextension.

Starts `jupyter lab` servers on private directories (embedded mode, as the browser tests do):
with the labextension; with it disabled in `labconfig/page_config.json` (what `jupyter
labextension disable progress-tracker` writes: JupyterLab still downloads a disabled
extension's bundle, it only skips its plugins); and without it installed. Opens JupyterLab in
Chromium N times on each, in turns and each time in a fresh browser profile, and prints

- how long the capture and dashboard plugins' `activate` take (the `performance.measure` entries
  the plugins record), and
- when JupyterLab's `app.started` and `app.restored` resolve, in ms after navigation start,
- how much of the labextension's bundle the page downloaded before it was restored.

Target: the capture plugin adds under 50 ms to JupyterLab's start. Prints its figures; nothing
is asserted.

    .venv/bin/python bench/lab_startup.py --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright
from servers import free_port

REPO = Path(__file__).resolve().parents[1]
LABEXTENSION = REPO / "progress_tracker" / "labextension"
sys.path.insert(0, str(REPO))
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

CONFIGURATIONS = {
    "extension enabled": "enabled",
    "extension disabled (page_config)": "disabled",
    "extension not installed": "absent",
}

PLUGIN_MEASURES = {
    "capture activate": "progress-tracker:capture:activate",
    "dashboard activate": "progress-tracker:dashboard:activate",
}

# Records when the application's `started` and `restored` promises resolve: the setter runs
# as JupyterLab assigns `window.jupyterapp`, before it starts.
WATCH_APP = """
(() => {
  let app;
  Object.defineProperty(window, 'jupyterapp', {
    configurable: true,
    get: () => app,
    set: value => {
      app = value;
      value.started.then(() => { window.__ptStartedAt = performance.now(); });
      value.restored.then(() => { window.__ptRestoredAt = performance.now(); });
    }
  });
})();
"""

READ_FIGURES = """
(measures) => {
  const out = { started: window.__ptStartedAt, restored: window.__ptRestoredAt };
  // What the page downloaded of the labextension's bundle before it was restored.
  out['extension KiB'] = performance.getEntriesByType('resource')
    .filter(e => e.name.includes('/lab/extensions/progress-tracker/'))
    .filter(e => e.startTime < window.__ptRestoredAt)
    .reduce((sum, e) => sum + e.decodedBodySize, 0) / 1024;
  for (const [label, name] of Object.entries(measures)) {
    const entry = performance.getEntriesByName(name, 'measure')[0];
    out[label] = entry ? entry.duration : null;
  }
  return out;
}
"""


@contextmanager
def lab_server(base: Path, extension: str) -> Iterator[str]:
    """A `jupyter lab` on private directories, the labextension `enabled`, `disabled` or
    `absent`; yields the URL that opens it with the token."""
    share = base / "share" / "labextensions"
    share.mkdir(parents=True)
    if extension != "absent":
        (share / "progress-tracker").symlink_to(LABEXTENSION)
    config = base / "config"
    (config / "labconfig").mkdir(parents=True)
    if extension == "disabled":
        (config / "labconfig" / "page_config.json").write_text(
            json.dumps({"disabledExtensions": {"progress-tracker": True}})
        )
    news = base / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    (base / "root").mkdir()
    port, token = free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_DATA_DIR": str(base / "data"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTER_PLATFORM_DIRS": "1",
    }
    log = (base / "jupyter.log").open("wb")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "jupyter"),
            "lab",
            "--allow-root",
            "--no-browser",
            f"--ServerApp.token={token}",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.root_dir={base / 'root'}",
            "--ServerApp.jpserver_extensions={'progress_tracker': True}",
            f"--ProgressTracker.database_url=sqlite+aiosqlite:///{base / 'pt.sqlite'}",
            "--ProgressTracker.owner_name=bench",
            f"--LabApp.workspaces_dir={base / 'workspaces'}",
            # Only this directory's prebuilt extensions: the environment's own copy of the
            # labextension (from `make install`) stays out of the comparison.
            f"--LabApp.labextensions_path={share}",
            f"--LabApp.user_settings_dir={base / 'settings'}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.expose_app_in_browser=True",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise SystemExit(f"jupyter lab exited:\n{(base / 'jupyter.log').read_text()}")
            try:
                request = urllib.request.Request(
                    f"{url}api/status", headers={"Authorization": f"token {token}"}
                )
                with urllib.request.urlopen(request, timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise SystemExit("jupyter lab did not start") from None
                time.sleep(0.25)
        yield f"{url}lab?token={token}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def open_lab(browser, url: str) -> dict[str, float | None]:
    """Open JupyterLab in a fresh profile and read the figures once it is restored."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        context.add_init_script(WATCH_APP)
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("() => window.__ptRestoredAt !== undefined", timeout=120_000)
        return page.evaluate(READ_FIGURES, PLUGIN_MEASURES)
    finally:
        context.close()


def summary(values: list[float | None]) -> str:
    known = [v for v in values if v is not None]
    if not known:
        return "n/a"
    return f"median {statistics.median(known):7.1f}  min {min(known):7.1f}  max {max(known):7.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="page loads per configuration")
    args = parser.parse_args()
    if not (LABEXTENSION / "package.json").exists():
        raise SystemExit("build the labextension first: make labextension")

    results: dict[str, list[dict[str, float | None]]] = {}
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            with ExitStack() as servers:
                urls = {
                    label: servers.enter_context(lab_server(Path(tmp) / extension, extension))
                    for label, extension in CONFIGURATIONS.items()
                }
                for url in urls.values():
                    open_lab(browser, url)  # warm the server (first page build, kernelspecs)
                # In turns, each first in turn, so that the machine's load spreads over all three.
                order = list(urls)
                for run in range(args.runs):
                    for label in order[run % 3 :] + order[: run % 3]:
                        results.setdefault(label, []).append(open_lab(browser, urls[label]))
        finally:
            browser.close()

    print(f"JupyterLab start-up, {args.runs} page loads each (times in ms)")
    for label, runs in results.items():
        print(f"\n{label}:")
        for figure in ("started", "restored", *PLUGIN_MEASURES, "extension KiB"):
            print(f"  {figure:<20} {summary([run[figure] for run in runs])}")
    with_ext = results["extension enabled"]
    for label in list(CONFIGURATIONS)[1:]:
        delta = statistics.median(r["restored"] for r in with_ext) - statistics.median(
            r["restored"] for r in results[label]
        )
        print(f"\nrestored, median enabled minus median {label}: {delta:+.1f} ms", end="")
    print()
    capture = [r["capture activate"] for r in with_ext if r["capture activate"] is not None]
    if capture:
        verdict = "under" if max(capture) < 50 else "NOT under"
        print(
            f"capture plugin activate: at most {max(capture):.1f} ms ({verdict} the 50 ms target)"
        )


if __name__ == "__main__":
    main()
