"""The ProgSnap2 rules a dataset must keep (specification version 6, CSSPLICE), as checks.

Main event table: required columns EventType, EventID, Order, SubjectID, ToolInstances,
CodeStateID; EventID unique; Order an integer; ServerTimestamp ISO 8601 with ServerTimezone
beside it; ParentEventID naming an event of the table; every CodeStateID in the code states.
DatasetMetadata.csv: Property,Value rows with Version, IsEventOrderingConsistent,
EventOrderScope (Global|Restricted|None), EventOrderScopeColumns (when Restricted: columns of
the main table) and CodeStateRepresentation (Table|Directory|Git).
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime

REQUIRED = ("EventType", "EventID", "Order", "SubjectID", "ToolInstances", "CodeStateID")
# The spec's event types used by a notebook tool (others exist; X- prefixes are extensions).
EVENT_TYPES = {
    "Session.Start",
    "Session.End",
    "Project.Open",
    "Project.Close",
    "File.Create",
    "File.Delete",
    "File.Open",
    "File.Close",
    "File.Save",
    "File.Edit",
    "Compile",
    "Compile.Error",
    "Compile.Warning",
    "Submit",
    "Run.Program",
    "Run.Error",
    "Run.Test",
    "Debug.Program",
    "Intervention",
    "Resource.View",
}
EXECUTION_RESULTS = {"", "Success", "Timeout", "Error", "TestFailed"}


def read_csv(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    with archive.open(name) as raw:
        return list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")))


def problems(data: bytes) -> list[str]:
    """Every rule the dataset in `data` (a zip) breaks; [] when it is valid."""
    found: list[str] = []
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    for required in ("MainTable.csv", "DatasetMetadata.csv"):
        if required not in names:
            found.append(f"{required} is missing")
    if found:
        return found
    metadata = {row["Property"]: row["Value"] for row in read_csv(archive, "DatasetMetadata.csv")}
    main = read_csv(archive, "MainTable.csv")
    columns = set(main[0]) if main else set()
    for key in (
        "Version",
        "IsEventOrderingConsistent",
        "EventOrderScope",
        "EventOrderScopeColumns",
        "CodeStateRepresentation",
    ):
        if key not in metadata:
            found.append(f"DatasetMetadata lacks {key}")
    if metadata.get("IsEventOrderingConsistent") not in ("true", "false"):
        found.append("IsEventOrderingConsistent must be true or false")
    if metadata.get("EventOrderScope") not in ("Global", "Restricted", "None"):
        found.append("EventOrderScope must be Global, Restricted or None")
    if metadata.get("EventOrderScope") == "Restricted":
        scope = [c for c in metadata.get("EventOrderScopeColumns", "").split(";") if c]
        if not scope or not set(scope) <= columns:
            found.append("EventOrderScopeColumns must name main table columns")
    representation = metadata.get("CodeStateRepresentation")
    code_states: set[str] = set()
    if representation == "Table":
        if "CodeStates/CodeStates.csv" not in names:
            found.append("CodeStates/CodeStates.csv is missing")
        else:
            code_states = {r["CodeStateID"] for r in read_csv(archive, "CodeStates/CodeStates.csv")}
    elif representation == "Directory":
        code_states = {n.split("/")[1] for n in names if n.startswith("CodeStates/")}
    elif representation != "Git":
        found.append("CodeStateRepresentation must be Table, Directory or Git")
    for column in REQUIRED:
        if main and column not in columns:
            found.append(f"MainTable lacks the required column {column}")
    ids = [row["EventID"] for row in main]
    if len(set(ids)) != len(ids):
        found.append("EventIDs are not unique")
    for index, row in enumerate(main):
        where = f"MainTable row {index + 1}"
        if row["EventType"] not in EVENT_TYPES and not row["EventType"].startswith("X-"):
            found.append(f"{where}: unknown EventType {row['EventType']!r}")
        if not row["Order"].lstrip("-").isdigit():
            found.append(f"{where}: Order is not an integer")
        for column in ("SubjectID", "ToolInstances", "CodeStateID"):
            if not row.get(column):
                found.append(f"{where}: {column} is empty")
        if code_states and row["CodeStateID"] not in code_states:
            found.append(f"{where}: CodeStateID {row['CodeStateID']} has no code state")
        if row.get("ServerTimestamp"):
            try:
                datetime.fromisoformat(row["ServerTimestamp"])
            except ValueError:
                found.append(f"{where}: ServerTimestamp is not ISO 8601")
            if not row.get("ServerTimezone"):
                found.append(f"{where}: ServerTimestamp without ServerTimezone")
        if row.get("ParentEventID") and row["ParentEventID"] not in ids:
            found.append(f"{where}: ParentEventID names no event")
        if row.get("ExecutionResult", "") not in EXECUTION_RESULTS:
            found.append(f"{where}: ExecutionResult {row['ExecutionResult']!r} is not allowed")
    return found
