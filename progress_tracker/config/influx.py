"""`c.InfluxDB`: where the InfluxDB sink writes (off unless a URL is set)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from traitlets import Enum, Int, Unicode, default
from traitlets.config import Configurable

DEFAULT_MEASUREMENT = "student_progress"

Api = Literal["v1", "v2"]


def _mask(secret: str) -> str:
    return "***" if secret else ""


def redact_url(url: str) -> str:
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

    def __post_init__(self) -> None:
        if self.api not in ("v1", "v2"):
            raise ValueError(f"InfluxDB api must be 'v1' or 'v2', got {self.api!r}")
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"InfluxDB url must be http(s)://host…, got {redact_url(self.url)!r}")
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
        if self.timeout_ms <= 0:
            raise ValueError("InfluxDB timeout_ms must be > 0")

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
            "url": redact_url(self.url),
            "api": self.api,
            **access,
            "measurement": self.measurement,
            "timeout_ms": self.timeout_ms,
        }
        return "InfluxSettings(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"

    __str__ = __repr__


def _env(name: str) -> str:
    return os.environ.get(name, "")


class InfluxDB(Configurable):
    """The InfluxDB sink of a collector: one point per event in `measurement`.

    Every option falls back to its environment variable, so secrets can stay out of files.
    """

    url = Unicode(config=True, help="InfluxDB URL (env INFLUXDB_URL); empty: the sink is off.")
    api = Enum(
        ["", "v1", "v2"],
        default_value="",
        config=True,
        help="'v2' (/api/v2/write: org, bucket, token; InfluxDB 2.x, 3.x, 1.8+) or 'v1' "
        "(/write: database, user, password; InfluxDB 1.x). Empty: v1 when only a database is set.",
    )
    org = Unicode(config=True, help="InfluxDB v2 organisation (env INFLUXDB_ORG).")
    bucket = Unicode(config=True, help="InfluxDB v2 bucket (env INFLUXDB_BUCKET).")
    token = Unicode(config=True, help="InfluxDB v2 token (env INFLUXDB_TOKEN). Secret.")
    database = Unicode(config=True, help="InfluxDB v1 database (env INFLUXDB_DATABASE).")
    retention_policy = Unicode(config=True, help="InfluxDB v1 retention policy.")
    username = Unicode(config=True, help="InfluxDB v1 user (env INFLUXDB_USERNAME).")
    password = Unicode(config=True, help="InfluxDB v1 password (env INFLUXDB_PASSWORD). Secret.")
    measurement = Unicode(DEFAULT_MEASUREMENT, config=True, help="The measurement written.")
    timeout_ms = Int(10_000, config=True, help="Timeout of one write, in milliseconds.")

    @default("url")
    def _default_url(self) -> str:
        return _env("INFLUXDB_URL")

    @default("org")
    def _default_org(self) -> str:
        return _env("INFLUXDB_ORG")

    @default("bucket")
    def _default_bucket(self) -> str:
        return _env("INFLUXDB_BUCKET")

    @default("token")
    def _default_token(self) -> str:
        return _env("INFLUXDB_TOKEN")

    @default("database")
    def _default_database(self) -> str:
        return _env("INFLUXDB_DATABASE")

    @default("username")
    def _default_username(self) -> str:
        return _env("INFLUXDB_USERNAME")

    @default("password")
    def _default_password(self) -> str:
        return _env("INFLUXDB_PASSWORD")

    def settings(self) -> InfluxSettings | None:
        """The frozen settings; None when no URL is set. ValueError when incomplete."""
        if not self.url:
            return None
        api = self.api or ("v1" if self.database and not (self.bucket or self.token) else "v2")
        return InfluxSettings(
            url=self.url,
            api=api,  # type: ignore[arg-type]
            org=self.org,
            bucket=self.bucket,
            token=self.token,
            database=self.database,
            retention_policy=self.retention_policy,
            username=self.username,
            password=self.password,
            measurement=self.measurement,
            timeout_ms=self.timeout_ms,
        )
