"""`python -m progress_tracker.store.rebuild [DATABASE_URL]`: recompute the read model.

The read model is kept current on every write; rebuild it after restoring executions from a
backup, or to check it (`--check` compares a fresh recount with what is stored, changing nothing).
Without a URL, the server's own default applies (`DATABASE_URL`, else the SQLite database in the
Jupyter data directory).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

from jupyter_core.paths import jupyter_data_dir
from sqlalchemy.ext.asyncio import AsyncEngine

from .engine import create_engine
from .state.check import differences
from .state.rebuild import rebuild


def default_url() -> str:
    """The database the server would use with no option set."""
    from_env = os.environ.get("DATABASE_URL", "").strip()
    if from_env:
        return from_env
    return (
        f"sqlite+aiosqlite:///{Path(jupyter_data_dir()) / 'progress_tracker' / 'progress.sqlite'}"
    )


async def run(engine: AsyncEngine, *, check: bool) -> int:
    """Rebuild (or check) the read model; the process's exit status."""
    started = time.perf_counter()
    if check:
        found = await differences(engine)
        for line in found[:20]:
            print(line)
        print(f"{len(found)} read-model rows differ from a recount", file=sys.stderr)
        return 1 if found else 0
    async with engine.begin() as conn:
        await conn.run_sync(rebuild)
    print(f"read model rebuilt in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m progress_tracker.store.rebuild")
    parser.add_argument("url", nargs="?", help="SQLAlchemy URL (async driver)")
    parser.add_argument("--check", action="store_true", help="compare only, change nothing")
    args = parser.parse_args(argv)

    async def go() -> int:
        engine = create_engine(args.url or default_url())
        try:
            return await run(engine, check=args.check)
        finally:
            await engine.dispose()

    return asyncio.run(go())


if __name__ == "__main__":
    sys.exit(main())
