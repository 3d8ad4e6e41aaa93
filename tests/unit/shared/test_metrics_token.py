"""Where the metrics token comes from: the service's variable, the platform's, or a file."""

from __future__ import annotations

from pathlib import Path

import pytest
from plut_shared.metrics.endpoint import MetricsTokenError, metrics_token
from registration.config import RegistrationSettings


@pytest.fixture(autouse=True)
def no_token_configured(monkeypatch) -> None:
    for prefix in ("PLUT_", "PLUT_REGISTRATION_"):
        monkeypatch.delenv(f"{prefix}METRICS_TOKEN", raising=False)
        monkeypatch.delenv(f"{prefix}METRICS_TOKEN_FILE", raising=False)


def token_of(settings: RegistrationSettings) -> str | None:
    return metrics_token(settings.metrics_token, settings.metrics_token_file)


def test_the_platform_variable_gives_every_service_the_token(monkeypatch) -> None:
    monkeypatch.setenv("PLUT_METRICS_TOKEN", "platform-token")
    assert token_of(RegistrationSettings()) == "platform-token"


def test_the_services_own_variable_wins_over_the_platforms(monkeypatch) -> None:
    monkeypatch.setenv("PLUT_METRICS_TOKEN", "platform-token")
    monkeypatch.setenv("PLUT_REGISTRATION_METRICS_TOKEN", "registration-token")
    assert token_of(RegistrationSettings()) == "registration-token"


def test_the_file_wins_and_only_its_first_line_counts(monkeypatch, tmp_path: Path) -> None:
    path = tmp_path / "metrics_token"
    path.write_text("file-token\nanything after\n", encoding="utf-8")
    monkeypatch.setenv("PLUT_METRICS_TOKEN", "platform-token")
    monkeypatch.setenv("PLUT_METRICS_TOKEN_FILE", str(path))
    assert token_of(RegistrationSettings()) == "file-token"


def test_no_variable_and_no_file_means_no_token(monkeypatch) -> None:
    assert token_of(RegistrationSettings()) is None
    monkeypatch.setenv("PLUT_METRICS_TOKEN", "   ")
    assert token_of(RegistrationSettings()) is None


def test_a_named_file_that_cannot_be_read_stops_the_service_naming_it(
    monkeypatch, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere" / "metrics_token"
    monkeypatch.setenv("PLUT_METRICS_TOKEN_FILE", str(missing))
    with pytest.raises(MetricsTokenError, match=r"PLUT_METRICS_TOKEN_FILE .*metrics_token"):
        token_of(RegistrationSettings())
