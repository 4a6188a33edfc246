"""The one owner of a server's background tasks: started, supervised, cancelled and awaited."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from . import metrics
from .retry import Backoff, Retrying

log = logging.getLogger(__name__)


def raise_if_cancelled() -> None:
    """Raise CancelledError if the current task was asked to stop.

    Every loop of a background task calls this once per round: redis-py (8.1 at least) now and
    then swallows a cancellation that hits a command and returns normally, and the loop would
    then go on for ever while `stop` waits for it.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError()


async def pause(seconds: float) -> None:
    """Sleep between two rounds of a background loop, unless the task was asked to stop."""
    raise_if_cancelled()
    await asyncio.sleep(seconds)


class BackgroundTasks:
    """Every long-running task of one server process.

    `supervise` restarts a task that crashed (after a backoff, counting the restarts), so one
    unexpected exception never silently ends a consumer; `stop` cancels everything and waits.
    """

    def __init__(self, restart_backoff: Backoff | None = None):
        self.restart_backoff = restart_backoff or Backoff(initial_s=0.2, cap_s=2.0)
        self.restarts: dict[str, int] = {}
        self.crashes: dict[str, str] = {}
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coroutine: Awaitable[Any], *, name: str) -> asyncio.Task[Any]:
        """Run `coroutine` until it ends or `stop` cancels it."""
        task = asyncio.get_running_loop().create_task(coroutine, name=name)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._forget)
        return task

    def supervise(self, run: Callable[[], Awaitable[Any]], *, name: str) -> asyncio.Task[Any]:
        """Run `run()` for ever: when it raises (or returns), log it and start it again."""
        return self.spawn(self._supervised(run, name), name=name)

    async def _supervised(self, run: Callable[[], Awaitable[Any]], name: str) -> None:
        retrying = Retrying(self.restart_backoff)
        self.restarts.setdefault(name, 0)
        while True:
            raise_if_cancelled()
            try:
                await run()
                reason = "returned"
            except asyncio.CancelledError:
                raise
            except Exception as err:  # any crash is restarted, never lost
                reason = f"{type(err).__name__}: {err}"
                log.exception("progress_tracker: background task %s crashed; restarting", name)
            self.restarts[name] += 1
            self.crashes[name] = reason[:500]
            metrics.TASK_RESTARTS.labels(name).inc()
            await pause(retrying.failed())

    def _forget(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("progress_tracker: task %s ended: %r", task.get_name(), task.exception())

    @property
    def running(self) -> int:
        """How many tasks are alive."""
        return len(self._tasks)

    async def stop(self, timeout_s: float = 10) -> None:
        """Cancel every task and wait (at most `timeout_s`) for them to finish."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=timeout_s)
