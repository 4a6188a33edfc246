"""The privacy stage of a storing server: consent, audit, retention, subject rights, exports.

Built by the runtime once the database is up; the handlers and the command line use it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncEngine

from ..config.influx import InfluxSettings
from ..tasks import pause, raise_if_cancelled
from . import audit, progsnap2, retention, subject
from .consent import ConsentBook
from .influx import InfluxDeleteError, InfluxPoints
from .policy import PrivacySettings

if TYPE_CHECKING:
    from ..runtime import Runtime

log = logging.getLogger(__name__)


def start_privacy(runtime: Runtime) -> PrivacyService:
    """The privacy stage of a storing runtime, and its purge task when a course has a retention."""
    settings = runtime.settings
    assert runtime.engine is not None

    def redis_data() -> Any:
        if runtime.redis is None:
            return None
        from ..queue.keys import StreamKeys
        from .redis_data import RedisSubjectData

        return RedisSubjectData(runtime.redis, StreamKeys(settings.queue.key_prefix))

    service = PrivacyService(
        runtime.engine,
        settings.privacy,
        influx=settings.influx,
        redis_data=redis_data,
        live_forget=getattr(runtime.live, "forget", None),  # an in-process feed's replay
        pseudonym_key=runtime.pseudonym_key,
    )
    if settings.privacy.retained_courses():
        runtime.tasks.supervise(service.purge_forever, name="progress-tracker-retention")
    return service


class PrivacyService:
    """What the privacy handlers, the purge task and the command line share."""

    def __init__(
        self,
        engine: AsyncEngine,
        settings: PrivacySettings,
        *,
        influx: InfluxSettings | None = None,
        redis_data: Callable[[], Any] | None = None,
        live_forget: Callable[[str], int] | None = None,
        pseudonym_key: Callable[[], bytes] = lambda: b"",
    ):
        self.engine = engine
        self.settings = settings
        self.consents = ConsentBook(engine, settings)
        self.influx = InfluxPoints(influx) if influx is not None else None
        # The student's data in Redis (a collector's queue), looked up when needed.
        self._redis_data = redis_data or (lambda: None)
        self._live_forget = live_forget
        self._key = pseudonym_key
        self.last_purge: dict[str, Any] | None = None

    async def record(self, actor: str, action: str, course: str | None, **more: Any) -> None:
        """Add an entry to the audit log."""
        await audit.record(self.engine, actor=actor, action=action, course=course, **more)

    async def audit_entries(self, **filters: Any) -> list[dict[str, Any]]:
        """Audit log entries, newest first."""
        return await audit.entries(self.engine, **filters)

    async def purge(self, *, dry_run: bool = False, now: datetime | None = None) -> dict[str, Any]:
        """Delete (or count) what is past retention."""
        report = await retention.purge(
            self.engine, self.settings, influx=self.influx, now=now, dry_run=dry_run
        )
        if not dry_run:
            self.last_purge = report
        return report

    async def purge_forever(self) -> None:
        """The periodic purge (a supervised task: an exception restarts it after a backoff)."""
        while True:
            raise_if_cancelled()
            report = await self.purge()
            deleted = sum(sum(c["rows"].values()) for c in report["courses"])
            if deleted:
                log.info("progress_tracker: retention purge deleted %d rows", deleted)
            await pause(self.settings.purge_interval_s)

    async def export_subject(self, user: str) -> dict[str, Any]:
        """Everything stored about `user`: every table, InfluxDB points, Redis entries."""
        data: dict[str, Any] = {
            "userId": user,
            "exportedAt": datetime.now(UTC).isoformat(),
            "database": await subject.export_rows(self.engine, user),
        }
        if self.influx is not None:
            try:
                data["influxdb"] = {"points": await self.influx.select({"userId": user})}
            except InfluxDeleteError as err:
                data["influxdb"] = {"error": str(err)}
        redis = self._redis_data()
        if redis is not None:
            data["redis"] = await redis.export(user)
        return data

    async def erase_subject(self, user: str) -> dict[str, Any]:
        """Erase `user` everywhere: Redis first (nothing queued is stored later), then the
        database and InfluxDB. InfluxDBError leaves the rest erased and says so."""
        report: dict[str, Any] = {"userId": user, "alias": subject.erased_name(self._key(), user)}
        redis = self._redis_data()
        if redis is not None:
            report["redis"] = await redis.erase(user)
        if self._live_forget is not None:
            report["liveReplay"] = self._live_forget(user)
        report["database"] = await subject.erase_rows(self.engine, user, self._key())
        self.consents.forget(user)
        if self.influx is not None:
            await self.influx.delete(tags={"userId": user})
            report["influxdb"] = "deleted"
        # A consumer may have been writing a batch it read before the Redis entries went:
        # sweep once more, so that what it committed meanwhile goes too.
        again = await subject.erase_rows(self.engine, user, self._key())
        for table, count in again.items():
            report["database"][table] += count
        return report

    async def progsnap2(self, course: str, out: IO[bytes]) -> int:
        """Write the ProgSnap2 dataset of `course` to `out`; its number of events."""
        return await progsnap2.write_dataset(
            self.engine, course, set(self.settings.courses), self._key(), out
        )
