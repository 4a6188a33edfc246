"""The published OpenAPI description: it matches the routes, and schemathesis finds no 5xx."""

from __future__ import annotations

import re
from pathlib import Path

import schemathesis
import yaml
from hypothesis import HealthCheck, settings
from schemathesis.checks import ignored_auth, missing_required_header, negative_data_rejection

from progress_tracker.access.mode import Role
from progress_tracker.handlers import handler_routes
from progress_tracker.runtime import Runtime
from progress_tracker.settings import Settings

from .conftest import RECORDED

SPEC = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
schema = schemathesis.openapi.from_path(SPEC)


def test_the_description_names_exactly_the_http_routes_of_a_storing_server(tmp_path):
    runtime = Runtime(Settings(role=Role("embedded"), data_dir=tmp_path))
    # a route's path argument (a regex group) is a {parameter} of the description
    routes = {
        re.sub(r"\(.*\)", "{entryId}" if "/help/" in pattern else "{assignmentId}", f"/{pattern}")
        for pattern, *_ in handler_routes(runtime)
    } - {"/api/v1/ws"}
    described = set(yaml.safe_load(SPEC.read_text())["paths"])
    assert described == routes


@schema.parametrize()
@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_described_operation_answers_as_described_and_never_5xx(case, fuzzed):
    response = case.call(
        base_url=fuzzed.base, headers={"Authorization": f"token {fuzzed.owner_token}"}
    )
    RECORDED["openapi"] += 1
    assert response.status_code < 500, (case.method, case.path, response.text)
    # Jupyter answers a request without credentials 403 (never 401), and ignores query arguments
    # it does not know (?token= is how Jupyter authenticates a GET): both by design. Bodies that
    # break the schema are refused: the events fuzz test holds every refusal to a 4xx.
    case.validate_response(
        response,
        excluded_checks=[missing_required_header, ignored_auth, negative_data_rejection],
    )
