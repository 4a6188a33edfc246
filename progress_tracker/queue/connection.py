"""The collector's Redis client: stale connections retried transparently, and an open door noticed."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit, urlunsplit

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError, RedisError, TimeoutError

log = logging.getLogger(__name__)

# A command that fails on a connection Redis dropped (it restarted) is sent again on a new one:
# 0.05 s, 0.1 s, ... at most 1 s apart, about 4 s in all, before the caller sees the error.
COMMAND_RETRY = Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=6)


def connect(url: str) -> Redis:
    """A client for `url` that retries commands on stale or dropped connections."""
    return Redis.from_url(
        url,
        retry=COMMAND_RETRY,
        retry_on_error=[ConnectionError, TimeoutError],
        health_check_interval=30,
        socket_connect_timeout=5,
        socket_keepalive=True,
    )


def where(url: str) -> str:
    """host:port of a Redis URL, without credentials (for messages and logs)."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 6379}"


async def needs_no_password(url: str) -> bool:
    """Whether Redis at `url` lets a client in without credentials (then anybody who can
    reach it, such as a student's kernel on the same host, can write events as anyone)."""
    parts = urlsplit(url)
    netloc = parts.hostname or "localhost"
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    anonymous = Redis.from_url(
        urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")),
        socket_connect_timeout=5,
        retry=Retry(ExponentialBackoff(), retries=0),
    )
    try:
        return bool(await anonymous.ping())
    except RedisError:  # NOAUTH, NOPERM, WRONGPASS: a password or an ACL is required
        return False
    finally:
        await anonymous.aclose()


OPEN_DOOR = (
    "Redis at {where} accepts clients without a password: anything that can reach it (a "
    "student's kernel on the hub's host, a pod without a network policy) can add events as any "
    "student or read them. Require a password or an ACL user (see docs/backends.md, 'Redis "
    "AUTH and ACL') and put it in REDIS_URL."
)
