"""The body of `POST api/v1/assignments`: an assignment's structure as its instructor publishes it."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from ..errors import InvalidEvents
from ..events.bounds import clean
from . import COURSE_ID

# Letters, digits, "_" and "-": a path segment that no URL normalisation changes.
ASSIGNMENT_ID = r"^[A-Za-z0-9_\-]{1,128}$"
MAX_CELLS = 1000


class PublishedCell(BaseModel):
    """One cell of the published notebook, in notebook order."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    cell_id: str = Field(min_length=1, max_length=128)
    grade_id: str | None = Field(default=None, min_length=1, max_length=128)
    cell_type: Literal["code", "markdown", "raw"]
    label: str = Field(max_length=256)
    source: str = Field(max_length=100_000)

    @field_validator("cell_id", "grade_id", "label", "source")
    @classmethod
    def _storable(cls, value: str | None) -> str | None:
        return None if value is None else clean(value)


class Publication(BaseModel):
    """An assignment to publish (assignmentId null: a new one, whose id the server picks)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    course: str = Field(pattern=COURSE_ID.pattern)
    title: str = Field(min_length=1, max_length=256)
    path: str = Field(min_length=1, max_length=1024)
    assignment_id: str | None = Field(default=None, pattern=ASSIGNMENT_ID)
    cells: list[PublishedCell] = Field(max_length=MAX_CELLS)

    @field_validator("title", "path")
    @classmethod
    def _storable(cls, value: str) -> str:
        return clean(value)

    @model_validator(mode="after")
    def _distinct_cells(self) -> Publication:
        """A cell id given twice is the first cell of that id (nbformat ids are unique, and
        JupyterLab renames duplicates on load); a grade id given twice names the first cell."""
        seen_cells: set[str] = set()
        seen_grades: set[str] = set()
        cells = []
        for cell in self.cells:
            if cell.cell_id in seen_cells:
                continue
            seen_cells.add(cell.cell_id)
            if cell.grade_id is not None:
                if cell.grade_id in seen_grades:
                    cell = cell.model_copy(update={"grade_id": None})
                seen_grades.add(cell.grade_id or "")
            cells.append(cell)
        self.cells = cells
        return self

    @property
    def new_id(self) -> str:
        """The id to register: the one given, or a new uuid4 hex."""
        return self.assignment_id or uuid.uuid4().hex


def read_publication(raw: bytes) -> Publication:
    """Validate a request body; 422 naming each bad field."""
    try:
        return Publication.model_validate_json(raw or b"null")
    except ValidationError as err:
        errors = [
            {
                "field": ".".join(str(part) for part in detail["loc"]) or None,
                "error": detail["msg"],
            }
            for detail in err.errors(include_url=False, include_input=False)
        ]
        raise InvalidEvents(
            "The assignment is not valid; nothing was published.", errors=errors
        ) from None
