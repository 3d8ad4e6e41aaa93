"""The compose monitoring profile: Prometheus scrapes what compose runs, Grafana finds its parts.

The generic checks (schema, healthchecks, restart policy, secrets, ports,
image tags) cover these services with the others in `test_compose_file`; here
is what ties the monitoring files to the compose file. That the dashboard's
metric names are ones the services expose is checked against real scrapes in
`tests/component/metrics/test_dashboard_names.py`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
MONITORING = DEPLOY / "monitoring"
COMPOSE = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
PROMETHEUS = yaml.safe_load((MONITORING / "prometheus.yml").read_text(encoding="utf-8"))
PROVISIONING = MONITORING / "grafana" / "provisioning"
DASHBOARDS = sorted((MONITORING / "grafana" / "dashboards").glob("*.json"))


def platform_services() -> set[str]:
    """The PLUT services: built from deploy/Dockerfile and long-running (not set-up steps)."""
    return {
        name
        for name, service in SERVICES.items()
        if service.get("build", {}).get("dockerfile") == "deploy/Dockerfile"
        and service.get("restart") != "no"
    }


def scrape_targets() -> dict[str, str]:
    """job -> `host:port` of every static target in prometheus.yml."""
    return {
        job["job_name"]: target
        for job in PROMETHEUS["scrape_configs"]
        for static in job["static_configs"]
        for target in static["targets"]
    }


def container_port(service: dict[str, Any]) -> str:
    [published] = service["ports"]
    return str(published).rsplit(":", 1)[1]


def test_the_monitoring_services_run_only_with_the_monitoring_profile() -> None:
    profiled = {name for name, service in SERVICES.items() if service.get("profiles")}
    assert profiled == {"prometheus", "grafana"}
    assert all(SERVICES[name]["profiles"] == ["monitoring"] for name in profiled)


@pytest.mark.parametrize("job", sorted(scrape_targets()))
def test_every_scrape_target_is_a_compose_service_on_its_container_port(job: str) -> None:
    host, port = scrape_targets()[job].rsplit(":", 1)
    assert host in SERVICES, f"{job} scrapes {host}, which compose does not run"
    assert port == container_port(SERVICES[host]), f"{job}: {host} listens on another port"


def test_every_platform_service_is_scraped() -> None:
    scraped = {target.rsplit(":", 1)[0] for target in scrape_targets().values()}
    assert platform_services() == {"registration", "training", "financing", "notifications"}
    assert scraped == platform_services()


@pytest.mark.parametrize("job", PROMETHEUS["scrape_configs"], ids=lambda job: job["job_name"])
def test_every_scrape_sends_the_metrics_token_from_a_mounted_secret(job: dict[str, Any]) -> None:
    authorization = job["authorization"]
    assert authorization.get("type", "Bearer") == "Bearer"
    assert "credentials" not in authorization, "the token must come from a file"
    secret = re.fullmatch(r"/run/secrets/(?P<name>[a-z_]+)", authorization["credentials_file"])
    assert secret is not None
    assert secret["name"] in SERVICES["prometheus"]["secrets"]
    assert COMPOSE["secrets"][secret["name"]] == {"environment": "PLUT_METRICS_TOKEN"}
    assert job.get("metrics_path", "/metrics") == "/metrics"


def test_the_services_get_the_same_token_prometheus_sends() -> None:
    for name in platform_services():
        environment = SERVICES[name]["environment"]
        assert environment["PLUT_METRICS_TOKEN"] == "${PLUT_METRICS_TOKEN:?set PLUT_METRICS_TOKEN}"


def _bind_mounts(name: str) -> dict[str, Path]:
    """container path -> host path of the service's bind mounts (relative to deploy/)."""
    mounts = {}
    for volume in SERVICES[name].get("volumes", []):
        source, target = str(volume).split(":")[:2]
        if source.startswith("./"):
            mounts[target] = DEPLOY / source
    return mounts


@pytest.mark.parametrize("name", ["prometheus", "grafana"])
def test_every_mounted_file_of_the_monitoring_services_exists(name: str) -> None:
    mounts = _bind_mounts(name)
    assert mounts, f"{name} mounts nothing from the repository"
    assert all(path.exists() for path in mounts.values()), mounts


def test_prometheus_reads_the_mounted_configuration() -> None:
    mounts = _bind_mounts("prometheus")
    command = SERVICES["prometheus"]["command"]
    config = next(arg.split("=", 1)[1] for arg in command if arg.startswith("--config.file="))
    assert mounts[config] == MONITORING / "prometheus.yml"


def test_grafana_loads_the_dashboards_from_where_they_are_mounted() -> None:
    provider = yaml.safe_load((PROVISIONING / "dashboards" / "plut.yml").read_text())
    [dashboards] = provider["providers"]
    assert _bind_mounts("grafana")[dashboards["options"]["path"]] == DASHBOARDS[0].parent
    assert _bind_mounts("grafana")["/etc/grafana/provisioning"] == PROVISIONING


def _panel_datasources(dashboard: dict[str, Any]) -> set[str]:
    return {
        source["uid"]
        for panel in dashboard["panels"]
        for source in [panel.get("datasource")]
        + [t.get("datasource") for t in panel.get("targets", [])]
        if source
    }


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda path: path.name)
def test_every_dashboard_panel_queries_the_provisioned_prometheus(path: Path) -> None:
    datasources = yaml.safe_load((PROVISIONING / "datasources" / "prometheus.yml").read_text())
    [prometheus] = datasources["datasources"]
    assert prometheus["url"] == "http://prometheus:9090"
    dashboard = json.loads(path.read_text(encoding="utf-8"))
    assert _panel_datasources(dashboard) == {prometheus["uid"]}
    assert all(
        target["expr"].strip()
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
    )
