"""The InfluxDB sink: one point per event in the `student_progress` measurement.

Schema (see docs/influxdb.md):

- tags: `userId`, `notebook` (notebook path), `cell` (cell id, absent when the event has none),
  `eventType`;
- fields: `duration` (float, ms, when known), `hasError` (bool), `executionCount` (int, when
  known), `errorMessage` (string, when present; line breaks written as `\\n`) and `eventId`
  (string: a field, not a tag, as it is unique per event and would make cardinality unbounded);
- timestamp: the event's `eventTime` in nanoseconds.

Idempotency: InfluxDB keeps one point per measurement, tag set and timestamp; a second write
of the same point overwrites the first. A redelivered event has the same tags and timestamp,
so writing it again replaces it with itself and never duplicates it.

Two write paths:

- `api="v2"`: influxdb-client's async client, `POST /api/v2/write` (InfluxDB 2.x, 3.x, and
  1.8+ through its compatibility endpoint);
- `api="v1"`: line protocol over `POST /write?db=&rp=&precision=ns` (InfluxDB 1.x).
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, Protocol, Self
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from influxdb_client import Point, WritePrecision
from influxdb_client.client.exceptions import InfluxDBError
from influxdb_client.client.influxdb_client_async import InfluxDBClientAsync
from influxdb_client.rest import ApiException

from ..events import Event
from . import SinkError

log = logging.getLogger(__name__)

DEFAULT_MEASUREMENT = "student_progress"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_BACKOFF_S = 30.0
_RETRYABLE_4XX = frozenset({408, 429})

Api = Literal["v1", "v2"]


class InfluxSinkError(SinkError):
    """An InfluxDB write that failed; `retryable` is False for rejected data (4xx)."""


def _mask(secret: str) -> str:
    return "***" if secret else ""


def _redact_url(url: str) -> str:
    """The URL without any user:password part."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


@dataclass(frozen=True)
class InfluxSettings:
    """Where and how the InfluxDB sink writes.

    `api="v2"` uses `org`, `bucket` and `token`; `api="v1"` uses `database`,
    `retention_policy`, `username` and `password`. The repr never shows secrets.
    """

    url: str
    api: Api = "v2"
    org: str = ""
    bucket: str = ""
    token: str = ""
    database: str = ""
    retention_policy: str = ""
    username: str = ""
    password: str = ""
    measurement: str = DEFAULT_MEASUREMENT
    timeout_ms: int = 10_000
    max_retries: int = 3
    backoff_s: float = 0.5

    def __post_init__(self) -> None:
        if self.api not in ("v1", "v2"):
            raise ValueError(f"InfluxDB api must be 'v1' or 'v2', got {self.api!r}")
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"InfluxDB url must be http(s)://host…, got {_redact_url(self.url)!r}")
        if parts.username is not None or parts.password is not None:
            raise ValueError(
                "InfluxDB url must not carry credentials: set username/password (v1) or token (v2)"
            )
        if self.api == "v2" and not self.bucket:
            raise ValueError("InfluxDB api 'v2' needs a bucket")
        if self.api == "v1" and not self.database:
            raise ValueError("InfluxDB api 'v1' needs a database")
        if not self.measurement:
            raise ValueError("InfluxDB measurement must not be empty")
        if self.timeout_ms <= 0 or self.max_retries < 0 or self.backoff_s < 0:
            raise ValueError("InfluxDB timeout_ms must be > 0, max_retries and backoff_s >= 0")

    def __repr__(self) -> str:
        if self.api == "v2":
            access = {"org": self.org, "bucket": self.bucket, "token": _mask(self.token)}
        else:
            access = {
                "database": self.database,
                "retention_policy": self.retention_policy,
                "username": self.username,
                "password": _mask(self.password),
            }
        shown = {
            "url": _redact_url(self.url),
            "api": self.api,
            **access,
            "measurement": self.measurement,
            "timeout_ms": self.timeout_ms,
            "max_retries": self.max_retries,
        }
        return "InfluxSettings(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"


def influx_settings_from(
    *,
    url: str = "",
    api: str = "",
    org: str = "",
    bucket: str = "",
    token: str = "",
    database: str = "",
    retention_policy: str = "",
    username: str = "",
    password: str = "",
    measurement: str = DEFAULT_MEASUREMENT,
    timeout_ms: int = 10_000,
    max_retries: int = 3,
    env: Mapping[str, str] | None = None,
) -> InfluxSettings | None:
    """Settings from plain values, each empty one falling back to its environment variable.

    Fallbacks: INFLUXDB_URL, INFLUXDB_TOKEN, INFLUXDB_ORG, INFLUXDB_BUCKET, INFLUXDB_DATABASE,
    INFLUXDB_USERNAME, INFLUXDB_PASSWORD. Returns None when no URL is set (the sink is off).
    An empty `api` means "v1" when a database is given and no bucket or token, else "v2".
    Raises ValueError for an incomplete configuration.
    """
    env = os.environ if env is None else env

    def pick(value: str, name: str) -> str:
        return value or env.get(name, "")

    url = pick(url, "INFLUXDB_URL")
    if not url:
        return None
    token = pick(token, "INFLUXDB_TOKEN")
    bucket = pick(bucket, "INFLUXDB_BUCKET")
    database = pick(database, "INFLUXDB_DATABASE")
    if not api:
        api = "v1" if database and not (bucket or token) else "v2"
    if api not in ("v1", "v2"):
        raise ValueError(f"InfluxDB api must be 'v1' or 'v2', got {api!r}")
    return InfluxSettings(
        url=url,
        api=api,  # type: ignore[arg-type]
        org=pick(org, "INFLUXDB_ORG"),
        bucket=bucket,
        token=token,
        database=database,
        retention_policy=retention_policy,
        username=pick(username, "INFLUXDB_USERNAME"),
        password=pick(password, "INFLUXDB_PASSWORD"),
        measurement=measurement,
        timeout_ms=timeout_ms,
        max_retries=max_retries,
    )


def event_time_ns(moment: datetime) -> int:
    """Nanoseconds since the Unix epoch, exactly (no float rounding)."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000


def event_point(event: Event, measurement: str = DEFAULT_MEASUREMENT) -> Point:
    """The point that stands for one event."""
    point = (
        Point(measurement)
        .tag("userId", event.user_id)
        .tag("notebook", event.notebook_path)
        .tag("eventType", event.event_type.value)
        .field("hasError", bool(event.has_error))
        .field("eventId", event.event_id)
        .time(event_time_ns(event.event_time), WritePrecision.NS)
    )
    if event.cell_id is not None:
        point.tag("cell", event.cell_id)
    if event.execution_duration_ms is not None:
        point.field("duration", float(event.execution_duration_ms))
    if event.execution_count is not None:
        point.field("executionCount", int(event.execution_count))
    if event.error_message is not None:
        point.field("errorMessage", one_line(event.error_message))
    return point


def one_line(text: str) -> str:
    """`text` with each line break written as the two characters `\\n`.

    InfluxDB 1.x accepts raw line breaks inside string fields, but other line protocol
    parsers (VictoriaMetrics among them) split the point there and drop it.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


class _Transport(Protocol):
    async def send(self, points: list[Point]) -> None: ...

    async def ping(self) -> bool: ...

    async def close(self) -> None: ...


def _http_error(status: int, detail: str) -> InfluxSinkError:
    retryable = status >= 500 or status in _RETRYABLE_4XX
    return InfluxSinkError(
        f"InfluxDB answered {status}: {detail.strip()[:500]}", retryable=retryable, status=status
    )


def _connection_error(err: BaseException) -> InfluxSinkError:
    kind = "timed out" if isinstance(err, TimeoutError) else "is unreachable"
    return InfluxSinkError(f"InfluxDB {kind}: {type(err).__name__}: {err}", retryable=True)


def _basic_auth(username: str, password: str) -> str:
    """An HTTP basic `Authorization` value (credentials stay out of the URL and its logs)."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


class _V1Transport:
    """Line protocol over InfluxDB 1.x `/write`, basic auth when a username is set."""

    def __init__(self, settings: InfluxSettings) -> None:
        self._settings = settings
        self._base = settings.url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            settings = self._settings
            headers = {}
            if settings.username:
                headers["Authorization"] = _basic_auth(settings.username, settings.password)
            timeout = aiohttp.ClientTimeout(total=settings.timeout_ms / 1000)
            self._session = aiohttp.ClientSession(headers=headers, timeout=timeout)
        return self._session

    async def send(self, points: list[Point]) -> None:
        params = {"db": self._settings.database, "precision": "ns"}
        if self._settings.retention_policy:
            params["rp"] = self._settings.retention_policy
        body = "\n".join(point.to_line_protocol() for point in points).encode()
        try:
            async with self._client().post(
                f"{self._base}/write", params=params, data=body
            ) as response:
                if response.status in (200, 204):
                    return
                raise _http_error(response.status, await response.text())
        except (TimeoutError, aiohttp.ClientError, OSError) as err:
            raise _connection_error(err) from None

    async def ping(self) -> bool:
        try:
            async with self._client().get(f"{self._base}/ping") as response:
                return response.status in (200, 204)
        except (TimeoutError, aiohttp.ClientError, OSError):
            return False

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class _V2Transport:
    """influxdb-client's async client and `/api/v2/write`."""

    def __init__(self, settings: InfluxSettings) -> None:
        self._settings = settings
        self._client_async: InfluxDBClientAsync | None = None

    def _client(self) -> InfluxDBClientAsync:
        """The client, created on first use: it must be made inside the running loop."""
        if self._client_async is None:
            settings = self._settings
            self._client_async = InfluxDBClientAsync(
                url=settings.url,
                token=settings.token or None,
                org=settings.org or None,
                timeout=settings.timeout_ms,
            )
        return self._client_async

    async def send(self, points: list[Point]) -> None:
        settings = self._settings
        try:
            await (
                self._client()
                .write_api()
                .write(
                    settings.bucket,
                    settings.org or "-",
                    record=points,
                    write_precision=WritePrecision.NS,
                )
            )
        except ApiException as err:
            detail = err.body.decode(errors="replace") if isinstance(err.body, bytes) else err.body
            raise _http_error(err.status or 0, str(detail or err.reason or "")) from None
        except (TimeoutError, aiohttp.ClientError, OSError) as err:
            raise _connection_error(err) from None

    async def ping(self) -> bool:
        try:
            return bool(await self._client().ping())
        except (InfluxDBError, TimeoutError, aiohttp.ClientError, OSError):
            return False

    async def close(self) -> None:
        if self._client_async is not None:
            await self._client_async.close()
            self._client_async = None


class InfluxSink:
    """Writes batches of events to InfluxDB, retrying with backoff on 5xx and network errors.

    Create and use it inside the event loop that will close it.
    """

    name = "influxdb"

    def __init__(
        self,
        settings: InfluxSettings,
        *,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.settings = settings
        self._sleep = sleep
        self._transport: _Transport = (
            _V1Transport(settings) if settings.api == "v1" else _V2Transport(settings)
        )

    def __repr__(self) -> str:
        return f"InfluxSink({self.settings!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def write(self, events: Sequence[Event]) -> None:
        """Write every event as one point; raise InfluxSinkError when that fails for good.

        Retries `max_retries` times on retryable failures; rejected data (4xx) raises at once.
        """
        if not events:
            return
        points = [event_point(event, self.settings.measurement) for event in events]
        attempts = self.settings.max_retries + 1
        for attempt in range(1, attempts + 1):
            try:
                await self._transport.send(points)
                return
            except InfluxSinkError as err:
                if not err.retryable or attempt == attempts:
                    raise
                delay = self._backoff(attempt)
                log.warning(
                    "InfluxDB write of %d events failed (attempt %d of %d), retrying in %.1fs: %s",
                    len(points),
                    attempt,
                    attempts,
                    delay,
                    err,
                )
                await self._sleep(delay)

    def _backoff(self, attempt: int) -> float:
        return min(_MAX_BACKOFF_S, self.settings.backoff_s * 2 ** (attempt - 1))

    async def ping(self) -> bool:
        """Whether the server answers its `/ping`."""
        return await self._transport.ping()

    async def close(self) -> None:
        """Release the HTTP connections; the sink may be used again afterwards."""
        await self._transport.close()
