"""Deleting and reading back a student's or a period's InfluxDB points (v1 InfluxQL, v2 API).

v1 (InfluxDB 1.x): `DELETE FROM <measurement> WHERE ...` through `/query`, and `SELECT` to read.
v2 (InfluxDB 2.x, 3.x, 1.8+): `POST /api/v2/delete` with a time range and a predicate, and Flux
through `/api/v2/query` to read. VictoriaMetrics takes writes on the v2 path but has no
predicate delete: there, series are removed with `/api/v1/admin/tsdb/delete_series?match[]=...`
(whole series, not a time range; see docs/privacy.md).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import aiohttp

from ..config.influx import InfluxSettings

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class InfluxDeleteError(Exception):
    """InfluxDB refused or did not answer a delete or a read."""


def _quote_value(value: str) -> str:
    """An InfluxQL string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _quote_name(name: str) -> str:
    """An InfluxQL identifier."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def influxql_where(
    tags: Mapping[str, str], not_tags: Mapping[str, list[str]], before: datetime | None
) -> str:
    """The WHERE clause of an InfluxQL DELETE or SELECT ("" when it matches everything)."""
    terms = [f"{_quote_name(k)} = {_quote_value(v)}" for k, v in tags.items()]
    for key, values in not_tags.items():
        terms += [f"{_quote_name(key)} != {_quote_value(v)}" for v in values]
    if before is not None:
        terms.append(f"time < {_quote_value(_rfc3339(before))}")
    return (" WHERE " + " AND ".join(terms)) if terms else ""


def v2_predicate(
    measurement: str, tags: Mapping[str, str], not_tags: Mapping[str, list[str]]
) -> str:
    """The predicate of a v2 delete (only `=`, `!=` and AND are allowed there)."""
    terms = [f"_measurement={json.dumps(measurement)}"]
    terms += [f"{k}={json.dumps(v)}" for k, v in tags.items()]
    for key, values in not_tags.items():
        terms += [f"{key}!={json.dumps(v)}" for v in values]
    return " AND ".join(terms)


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class InfluxPoints:
    """Deletes and reads the points of the tracker's measurement."""

    def __init__(self, settings: InfluxSettings) -> None:
        self.settings = settings
        self._base = settings.url.rstrip("/")

    def _headers(self) -> dict[str, str]:
        s = self.settings
        if s.api == "v2" and s.token:
            return {"Authorization": f"Token {s.token}"}
        if s.api == "v1" and s.username:
            auth = aiohttp.BasicAuth(s.username, s.password)
            return {"Authorization": auth.encode()}
        return {}

    async def _request(self, method: str, path: str, **kwargs: Any) -> str:
        timeout = aiohttp.ClientTimeout(total=max(30.0, self.settings.timeout_ms / 1000))
        # One connection per request, closed with it: these requests are rare, and a kept-alive
        # socket would outlive the session that opened it.
        connector = aiohttp.TCPConnector(force_close=True)
        try:
            async with (
                aiohttp.ClientSession(
                    headers=self._headers(), timeout=timeout, connector=connector
                ) as session,
                session.request(method, f"{self._base}{path}", **kwargs) as response,
            ):
                text = await response.text()
                if response.status >= 300:
                    raise InfluxDeleteError(f"InfluxDB answered {response.status}: {text[:300]}")
                return text
        except (TimeoutError, aiohttp.ClientError, OSError) as err:
            raise InfluxDeleteError(
                f"InfluxDB is unreachable: {type(err).__name__}: {err}"
            ) from err

    async def delete(
        self,
        *,
        tags: Mapping[str, str] | None = None,
        not_tags: Mapping[str, list[str]] | None = None,
        before: datetime | None = None,
    ) -> None:
        """Delete the points with these tags (and none of `not_tags`), older than `before`."""
        tags, not_tags = dict(tags or {}), dict(not_tags or {})
        s = self.settings
        if s.api == "v1":
            query = f"DELETE FROM {_quote_name(s.measurement)}" + influxql_where(
                tags, not_tags, before
            )
            await self._v1_query(query, method="POST")
            return
        body = {
            "start": _rfc3339(EPOCH),
            "stop": _rfc3339(before or datetime(2262, 1, 1, tzinfo=UTC)),
            "predicate": v2_predicate(s.measurement, tags, not_tags),
        }
        params = {"bucket": s.bucket, "org": s.org or "-"}
        await self._request("POST", "/api/v2/delete", params=params, json=body)

    async def select(self, tags: Mapping[str, str]) -> list[dict[str, Any]]:
        """Every point with these tags, as dicts of time, tags and fields."""
        s = self.settings
        if s.api == "v1":
            query = f"SELECT * FROM {_quote_name(s.measurement)}" + influxql_where(tags, {}, None)
            answer = json.loads(await self._v1_query(query, method="GET"))
            points = []
            for result in answer.get("results", []):
                for series in result.get("series", []) or []:
                    columns = series["columns"]
                    points += [
                        dict(zip(columns, values, strict=False)) for values in series["values"]
                    ]
            return points
        filters = " and ".join(
            [f"r._measurement == {json.dumps(s.measurement)}"]
            + [f"r[{json.dumps(k)}] == {json.dumps(v)}" for k, v in tags.items()]
        )
        flux = f"from(bucket: {json.dumps(s.bucket)}) |> range(start: 0) |> filter(fn: (r) => {filters})"
        text = await self._request(
            "POST",
            "/api/v2/query",
            params={"org": s.org or "-"},
            json={"query": flux, "dialect": {"annotations": []}},
            headers={"Accept": "application/csv"},
        )
        rows = csv.DictReader(io.StringIO(text))
        return [{k: v for k, v in row.items() if k and not k.startswith("_start")} for row in rows]

    async def _v1_query(self, query: str, *, method: str) -> str:
        s = self.settings
        params = {"db": s.database, "q": query}
        if s.retention_policy:
            params["rp"] = s.retention_policy
        text = await self._request(method, "/query", params=params)
        answer = json.loads(text or "{}")
        for result in answer.get("results", []):
            if "error" in result:
                raise InfluxDeleteError(f"InfluxDB refused {query[:80]!r}: {result['error']}")
        return text
