"""The collector as a user server sees it: its URL and this server's hub token, one HTTP client."""

from __future__ import annotations

import os
from typing import Any

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest, HTTPResponse

CONNECT_TIMEOUT_S = 5.0
REQUEST_TIMEOUT_S = 30.0
# Connections one user server opens to the collector at most (more requests wait their turn).
MAX_CONNECTIONS = 4


class Collector:
    """The collector's base URL and this server's credentials; one HTTP client per process."""

    def __init__(self, url: str, token: str, owner: str):
        self.url = url if url.endswith("/") else f"{url}/"
        self.owner = owner
        self._token = token
        self._client: AsyncHTTPClient | None = None

    @classmethod
    def from_environment(cls, url: str) -> Collector:
        """A collector client with this user server's JupyterHub token and user name."""
        return cls(url, os.environ["JUPYTERHUB_API_TOKEN"], os.environ.get("JUPYTERHUB_USER", ""))

    @property
    def headers(self) -> dict[str, str]:
        """Authentication of this server towards the collector."""
        return {"Authorization": f"token {self._token}"}

    def api_url(self, path: str, query: str = "") -> str:
        """The collector's URL of `api/v1/<path>`, with a query string."""
        url = f"{self.url}api/v1/{path}"
        return f"{url}?{query}" if query else url

    @property
    def client(self) -> AsyncHTTPClient:
        """The HTTP client (created on first use, closed by `close`)."""
        if self._client is None:
            self._client = AsyncHTTPClient(force_instance=True, max_clients=MAX_CONNECTIONS)
        return self._client

    async def fetch(self, request: HTTPRequest) -> HTTPResponse:
        """Send a request; any HTTP status is returned, connection failures raise OSError."""
        try:
            return await self.client.fetch(request, raise_error=False)
        except HTTPClientError as err:  # 599: timeout or connection closed
            raise OSError(str(err)) from err

    def request(self, path: str, *, query: str = "", **kwargs: Any) -> HTTPRequest:
        """An authenticated request to `api/v1/<path>`."""
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return HTTPRequest(
            self.api_url(path, query),
            headers=headers,
            connect_timeout=CONNECT_TIMEOUT_S,
            request_timeout=kwargs.pop("request_timeout", REQUEST_TIMEOUT_S),
            follow_redirects=False,
            **kwargs,
        )

    def close(self) -> None:
        """Close the HTTP client."""
        if self._client is not None:
            self._client.close()
            self._client = None
