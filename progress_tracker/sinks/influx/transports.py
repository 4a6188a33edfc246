"""The two InfluxDB write paths: line protocol to 1.x `/write`, influxdb-client to `/api/v2/write`."""

from __future__ import annotations

import base64
from typing import Protocol

import aiohttp
from influxdb_client import Point, WritePrecision
from influxdb_client.client.exceptions import InfluxDBError
from influxdb_client.client.influxdb_client_async import InfluxDBClientAsync
from influxdb_client.rest import ApiException

from ...config.influx import InfluxSettings
from .. import SinkError

# Refusals that hit every point alike (credentials, permissions, no such database, throttling,
# timeouts) are outages the consumer retries; other 4xx answers refuse the data itself.
_RETRYABLE_4XX = frozenset({401, 403, 404, 408, 429})


class InfluxSinkError(SinkError):
    """An InfluxDB write that failed; `retryable` is False only for rejected data."""


class Transport(Protocol):
    """Sends points to one InfluxDB API."""

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


class V1Transport:
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


class V2Transport:
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
