"""Gzip for the server's answers: Tornado's `compress_response`, turned on by the extension."""

from __future__ import annotations

from tornado import web


def compress_responses(app: web.Application) -> None:
    """What `compress_response=True` does when Tornado builds the application, done afterwards.

    The server exists when the extension loads, so the setting alone would come too late: the
    output transform is added to the application's list (once). Tornado compresses JSON and text
    for clients that send `Accept-Encoding: gzip`, and each flushed chunk as it is flushed.
    """
    app.settings["compress_response"] = True
    if web.GZipContentEncoding not in app.transforms:
        app.transforms.append(web.GZipContentEncoding)
