"""The body of `POST api/v1/assignments`: an assignment's structure as its instructor publishes it."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.alias_generators import to_camel

from ..errors import InvalidEvents
from . import COURSE_ID

ASSIGNMENT_ID = r"^[A-Za-z0-9_.\-]{1,128}$"
MAX_CELLS = 1000


class PublishedCell(BaseModel):
    """One cell of the published notebook, in notebook order."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    cell_id: str = Field(min_length=1, max_length=128)
    grade_id: str | None = Field(default=None, min_length=1, max_length=128)
    cell_type: Literal["code", "markdown", "raw"]
    label: str = Field(max_length=256)
    source: str = Field(max_length=100_000)


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
    def _no_nul(cls, value: str) -> str:
        return value.replace("\x00", "\ufffd")

    @model_validator(mode="after")
    def _distinct_cells(self) -> Publication:
        ids = [cell.cell_id for cell in self.cells]
        if len(set(ids)) != len(ids):
            raise ValueError("cells: every cellId must appear once")
        grades = [cell.grade_id for cell in self.cells if cell.grade_id is not None]
        if len(set(grades)) != len(grades):
            raise ValueError("cells: every gradeId must appear once")
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
