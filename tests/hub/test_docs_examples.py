"""The shipped hub configuration examples load and carry the settings the hub tests run with."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from traitlets.config.loader import PyFileConfigLoader

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "docs" / "examples"
COLLECTOR_SCOPES = {
    "access:services!service=progress-tracker",
    "read:services!service=progress-tracker",
}


@pytest.fixture
def hub_config(monkeypatch):
    for name in ("DATABASE_URL", "REDIS_URL", "PSEUDONYM_SECRET"):
        monkeypatch.setenv(f"PROGRESS_TRACKER_{name}", f"secret-{name.lower()}")
    return PyFileConfigLoader("jupyterhub_config.py", path=str(EXAMPLES)).load_config()


def test_the_example_config_runs_the_collector_with_its_credentials_in_its_environment(hub_config):
    [service] = hub_config.JupyterHub.services
    assert service["name"] == "progress-tracker"
    assert service["command"][1:3] == ["-m", "jupyterhub.singleuser"]
    assert service["environment"]["DATABASE_URL"] == "secret-database_url"
    assert service["environment"]["REDIS_URL"] == "secret-redis_url"


def test_the_example_config_gives_server_tokens_and_users_the_collector_scopes(hub_config):
    assert COLLECTOR_SCOPES <= set(hub_config.Spawner.server_token_scopes)
    assert COLLECTOR_SCOPES <= set(hub_config.JupyterHub.extra_user_scopes)
    assert "environment" not in hub_config.Spawner  # no credentials for user servers
    assert "instructors" in hub_config.JupyterHub.load_groups


def test_the_example_groups_are_courses_by_the_default_conventions(hub_config):
    from progress_tracker.config.courses import CourseSettings
    from progress_tracker.courses.roles import RoleResolver

    resolver = RoleResolver(CourseSettings())
    groups = hub_config.JupyterHub.load_groups
    members = {
        user: [group for group, spec in groups.items() if user in spec["users"]]
        for spec in groups.values()
        for user in spec["users"]
    }
    roles = {user: resolver.roles(user_groups) for user, user_groups in members.items()}
    assert {(r.course, r.role) for user in roles for r in roles[user]} == {
        ("cs101", "instructor"),
        ("cs101", "ta"),
        ("cs101", "student"),
    }
    [ta] = [r for user in roles for r in roles[user] if r.role == "ta"]
    assert (ta.sections, ta.all_sections) == (("a",), False)
    assert "progress-admins" in groups


def test_the_helm_values_keep_credentials_out_of_user_pods():
    values = yaml.safe_load((EXAMPLES / "z2jh-values.yaml").read_text())
    extra_config = values["hub"]["extraConfig"]["progress-tracker"]
    compile(extra_config, "extraConfig", "exec")
    assert "cs101-students" in extra_config and "progress-admins" in extra_config
    assert COLLECTOR_SCOPES <= set(values["hub"]["loadRoles"]["user"]["scopes"])
    assert "extraEnv" not in values["singleuser"]
    text = yaml.safe_dump(values["singleuser"])
    assert "DATABASE_URL" not in text and "REDIS_URL" not in text


def test_every_install_instruction_names_the_distribution_of_this_project():
    # `progress-tracker` on the package index is an unrelated project
    documents = [REPO / "README.md", *(REPO / "docs").rglob("*.md"), *EXAMPLES.iterdir()]
    installs = [
        (document.name, line)
        for document in documents
        for line in document.read_text().splitlines()
        if re.search(r"pip install\b", line) and "tracker" in line
    ]
    assert installs
    for document, line in installs:
        command = re.search(r"pip install ([^`#]*)", line).group(1)
        assert "jupyter-progress-tracker" in command, (document, line)
        assert not re.search(r"(?<![\w-])progress-tracker", command), (document, line)
