"""deploy/docker-compose.yml: valid against the Compose Specification, and safe to run.

The schema (deploy/schema/compose-spec.json, source in deploy/schema/SOURCE.md)
checks the shape; the other tests check what a schema cannot.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
COMPOSE = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
SCHEMA = json.loads((DEPLOY / "schema" / "compose-spec.json").read_text(encoding="utf-8"))
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]

# `${NAME}`, `${NAME:?message}` or `${NAME?message}`: a value the operator must supply.
REQUIRED_VARIABLE = re.compile(r"^\$\{[A-Z][A-Z0-9_]*(:?\?[^}]*)?\}$")
SECRET_NAME = re.compile(r"PASS|SECRET|TOKEN|KEY", re.IGNORECASE)
URL_CREDENTIALS = re.compile(r"://(?P<user>[^:@/]+):(?P<password>[^@/]+)@")
# A loopback literal, or the configurable address that defaults to loopback.
BOUND_HOST = re.compile(r"^(127\.0\.0\.1|\$\{PLUT_BIND_ADDRESS:-127\.0\.0\.1\}):\d+:\d+$")


def schema_errors(document: dict[str, Any]) -> list[str]:
    errors = Draft7Validator(SCHEMA).iter_errors(document)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


def test_the_compose_file_is_valid_against_the_compose_specification_schema() -> None:
    assert schema_errors(COMPOSE) == []


def test_the_schema_catches_a_malformed_file() -> None:
    broken = {**COMPOSE, "servics": {}}
    broken["services"] = {**SERVICES, "mongo": {**SERVICES["mongo"], "restart": ["always"]}}
    errors = schema_errors(broken)
    assert any("'servics' does not match" in error for error in errors)
    assert any(error.startswith("services/mongo/restart:") for error in errors)


def _one_shot_jobs() -> set[str]:
    """Services others wait for to *complete* (set-up steps), not to be healthy."""
    return {
        name
        for service in SERVICES.values()
        for name, condition in (service.get("depends_on") or {}).items()
        if isinstance(condition, dict)
        and condition.get("condition") == "service_completed_successfully"
    }


LONG_RUNNING = sorted(set(SERVICES) - _one_shot_jobs())


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_every_service_has_a_healthcheck_and_a_restart_policy(name: str) -> None:
    service = SERVICES[name]
    assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    assert service.get("restart") in ("always", "unless-stopped", "on-failure"), name


@pytest.mark.parametrize("name", sorted(_one_shot_jobs()))
def test_a_set_up_step_runs_once_with_an_explicit_command(name: str) -> None:
    service = SERVICES[name]
    assert service.get("restart") == "no", f"{name} must not be restarted once done"
    assert service.get("command"), f"{name} has no command"


def _environment(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_no_secret_is_written_in_the_file_only_variables(name: str) -> None:
    for key, value in _environment(SERVICES[name]).items():
        if SECRET_NAME.search(key):
            assert REQUIRED_VARIABLE.match(value), f"{name}: {key} must be ${{VARIABLE}}"
        for found in URL_CREDENTIALS.finditer(_variables_named(value)):
            # A user name may be fixed (each service's broker user is `plut-<service>`);
            # a password never is.
            assert found["password"] == "VARIABLE", f"{name}: {key} holds a password"


def _variables_named(value: str) -> str:
    """Each required `${...}` as VARIABLE, so a URL's user and password parts can be read."""
    return re.sub(
        r"\$\{[^}]*\}",
        lambda m: "VARIABLE" if REQUIRED_VARIABLE.match(m.group()) else "WITH-DEFAULT",
        value,
    )


def test_the_secret_checks_catch_a_password_written_in_the_file() -> None:
    assert not REQUIRED_VARIABLE.match("hunter2")
    assert not REQUIRED_VARIABLE.match("${MONGO_ROOT_PASSWORD:-hunter2}")  # a default is a secret
    assert REQUIRED_VARIABLE.match("${MONGO_ROOT_PASSWORD:?set MONGO_ROOT_PASSWORD}")
    url = _variables_named("mongodb://${USER:?set USER}:${PASSWORD:-hunter2}@mongo/")
    assert URL_CREDENTIALS.search(url).group("password") == "WITH-DEFAULT"  # type: ignore[union-attr]


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_published_ports_listen_on_the_configured_address_only(name: str) -> None:
    for port in SERVICES[name].get("ports", []):
        assert isinstance(port, str) and BOUND_HOST.match(port), f"{name}: {port!r}"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_images_are_pinned_to_at_least_a_major_version(name: str) -> None:
    image = SERVICES[name]["image"]
    repository, _, tag = image.rpartition(":")
    assert repository and "/" not in tag, f"{name}: {image} has no tag"
    # `7`, `4.1-management`, `12.3.1`, or with the `v` some projects tag with (`v3.5.0`).
    assert tag != "latest" and re.match(r"^v?\d+", tag), f"{name}: {image} is not pinned"


@pytest.mark.parametrize("name", sorted(COMPOSE.get("secrets", {})))
def test_secret_files_come_from_the_environment_or_a_file_never_the_compose_file(
    name: str,
) -> None:
    secret = COMPOSE["secrets"][name]
    sources = set(secret) & {"environment", "file", "external", "content"}
    assert sources in ({"environment"}, {"file"}, {"external"}), f"{name}: {sources}"
    if "environment" in secret:
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", secret["environment"]), name


def test_every_variable_the_file_requires_is_in_the_example_environment() -> None:
    text = (DEPLOY / "docker-compose.yml").read_text(encoding="utf-8")
    required = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*):?\?", text))
    required |= {
        s["environment"] for s in COMPOSE.get("secrets", {}).values() if "environment" in s
    }
    example = (DEPLOY / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))
    assert {"PLUT_METRICS_TOKEN", "GRAFANA_ADMIN_PASSWORD"} <= required
    assert required - documented == set()
