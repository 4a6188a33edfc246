"""The demo course: the notebook the simulated class works through, and its data file."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

DEMO_NOTEBOOK = "pandas-intro.ipynb"
DATA_FILE = "sales.csv"
INTRO_CELL_ID = "intro"


@dataclass(frozen=True)
class DemoCell:
    """A code cell of the demo notebook with the mistakes students typically make in it."""

    cell_id: str
    code: str
    errors: tuple[str, ...] = ()
    difficulty: float = 0.1


CELLS = [
    DemoCell("c01-imports", "import pandas as pd\nimport numpy as np"),
    DemoCell(
        "c02-load",
        "sales = pd.read_csv('sales.csv')",
        ("FileNotFoundError: [Errno 2] No such file or directory: 'sale.csv'",),
        0.15,
    ),
    DemoCell("c03-head", "sales.head()"),
    DemoCell(
        "c04-columns",
        "sales['unit_price'].mean()",
        ("KeyError: 'price'", "NameError: name 'sales' is not defined"),
        0.45,
    ),
    DemoCell(
        "c05-filter",
        "cheap = sales[sales.unit_price < 10]\ncheap.shape",
        ("AttributeError: 'DataFrame' object has no attribute 'unit_prize'",),
        0.3,
    ),
    DemoCell(
        "c06-groupby",
        "sales['revenue'] = sales.units * sales.unit_price\n"
        "sales.groupby('region')['revenue'].sum()",
        ("KeyError: 'revenue'", "TypeError: unhashable type: 'list'"),
        0.4,
    ),
    DemoCell(
        "c07-monthly",
        "sales['month'] = pd.to_datetime(sales['date']).dt.month\n"
        "sales.groupby('month')['units'].sum()",
        ("AttributeError: Can only use .dt accessor with datetimelike values",),
        0.2,
    ),
    DemoCell(
        "c08-merge",
        "regions = pd.DataFrame({'region_id': [1, 2, 3, 4],\n"
        "                        'manager': ['Ada', 'Alan', 'Grace', 'Edsger']})\n"
        "full = sales.merge(regions, on='region_id')",
        ("MergeError: No common columns to perform merge on",),
        0.35,
    ),
    DemoCell(
        "c09-pivot",
        "full.pivot_table(index='region', columns='month', values='units')",
        ("ValueError: Index contains duplicate entries, cannot reshape",),
        0.3,
    ),
    DemoCell(
        "c10-summary",
        "total = full['revenue'].sum()\nprint(f'Total revenue: {total:,.2f}')",
        ("NameError: name 'total' is not defined",),
        0.25,
    ),
]
# The markdown introduction is cell 0: code cells sit at these notebook positions.
CELL_INDEX = {cell.cell_id: position for position, cell in enumerate(CELLS, start=1)}

INTRO = """# Pandas, a first look

A simulated class of 24 students is working through this notebook. Run its cells (Shift+Enter)
and open **Progress dashboard** from the Launcher: you appear there next to them, each cell
you run as it happens, errors included. Try a mistake too, e.g. `sales['price']`."""

REGIONS = ["North", "South", "East", "West"]
PRODUCTS = {"notebook": 4.5, "pen": 1.2, "stapler": 12.0, "lamp": 29.9, "backpack": 45.0}


def notebook() -> nbformat.NotebookNode:
    """The demo notebook, with the stable cell ids the simulation reports."""
    cells = [new_markdown_cell(INTRO, id=INTRO_CELL_ID)]
    cells += [new_code_cell(cell.code, id=cell.cell_id) for cell in CELLS]
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return new_notebook(cells=cells, metadata={"kernelspec": kernel})


def write_course(folder: Path) -> None:
    """Write the notebook and its data into `folder` unless they are there (edits are kept)."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / DEMO_NOTEBOOK).exists():
        document = notebook()
        nbformat.validate(document)
        nbformat.write(document, str(folder / DEMO_NOTEBOOK))
    if not (folder / DATA_FILE).exists():
        _write_sales(folder / DATA_FILE)


def _write_sales(path: Path) -> None:
    """A year of sales in four regions: the same rows every time."""
    rows = random.Random(2024)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "region_id", "region", "product", "units", "unit_price"])
        for month in range(1, 13):
            for region_id, region in enumerate(REGIONS, start=1):
                for product, price in PRODUCTS.items():
                    day = rows.randint(1, 28)
                    units = rows.randint(1, 40)
                    writer.writerow(
                        [f"2024-{month:02d}-{day:02d}", region_id, region, product, units, price]
                    )
