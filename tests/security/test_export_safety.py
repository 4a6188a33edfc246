"""The CSV export is safe in every spreadsheet and for any notebook path."""

from __future__ import annotations

import csv
import io
import urllib.parse

import pytest

from progress_tracker.store.read.export import spreadsheet_safe
from tests.conftest import make_event

from .conftest import call, post_events

pytestmark = pytest.mark.usefixtures("jp_serverapp")

TRIGGERS = ["=", "+", "-", "@"]


def cells_as_a_spreadsheet_splits_them(text: str, separator: str) -> list[str]:
    """Every cell a spreadsheet would see, opening `text` with `separator` (quotes ignored: a
    spreadsheet guessing the separator may not honour them either)."""
    cells: list[str] = []
    for line in text.replace("\r", "\n").split("\n"):
        cells += line.split(separator)
    return cells


def starts_a_formula(cell: str) -> bool:
    return cell.lstrip(' \t"')[:1] in TRIGGERS


@pytest.mark.parametrize(
    "code",
    [
        "=1+1",
        ' =HYPERLINK("http://x")',
        "\n=cmd|' /C calc'!A0",
        "\t@SUM(A1)",
        "x;=1+1",
        "a,+2",
        "a\t-3+3",
        "a|=1",
        "ok\r=2",
    ],
)
async def test_no_cell_starts_a_formula_whatever_the_separator(jp_fetch, code):
    """Observation 10: fields starting with a newline, or holding ';=', were opened as formulas."""
    assert (await post_events(jp_fetch, [make_event(code=code, result=code)]))[0] == 202
    status, text, _ = await call(jp_fetch, "api", "v1", "export.csv")
    assert status == 200
    for separator in (",", ";", "\t", "|"):
        formulas = [
            cell
            for cell in cells_as_a_spreadsheet_splits_them(text, separator)
            if starts_a_formula(cell)
        ]
        assert formulas == [], separator
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["code"].replace("'", "") == code.replace("'", ""), "nothing but the guard is added"


def test_plain_values_are_left_alone():
    assert spreadsheet_safe("print('hello')") == "print('hello')"
    assert spreadsheet_safe(3) == 3
    assert spreadsheet_safe("a - b") == "a - b"


@pytest.mark.parametrize(
    "path",
    [
        "cours/été/ラボ1.ipynb",
        'evil";\r\nSet-Cookie: x=1.ipynb',
        "a\nb.ipynb",
        "x'; filename*=y.ipynb",
    ],
)
async def test_any_notebook_path_exports_with_a_safe_content_disposition(jp_fetch, path):
    """Observations 9 and 10: non-Latin-1 or CR/LF paths answered 500; the raw path was injected
    into Content-Disposition."""
    assert (await post_events(jp_fetch, [make_event(notebookPath=path)]))[0] == 202
    status, text, headers = await call(
        jp_fetch, "api", "v1", "export.csv", params={"notebook": path}
    )
    assert status == 200, text
    [row] = list(csv.DictReader(io.StringIO(text, newline="")))
    assert row["notebookPath"] == path
    disposition = headers["Content-Disposition"]
    assert disposition.isascii() and "\r" not in disposition and "\n" not in disposition
    kind, fallback, extended = (part.strip() for part in disposition.split(";"))
    assert kind == "attachment"
    name = fallback.removeprefix('filename="').removesuffix('"')
    assert name.endswith("-executions.csv") and all(c.isalnum() or c in "._-" for c in name)
    assert extended.startswith("filename*=UTF-8''")
    decoded = urllib.parse.unquote(extended.removeprefix("filename*=UTF-8''"))
    assert decoded.endswith("-executions.csv") and "\n" not in decoded and '"' not in decoded
