"""docker-compose.yml: the services, their health checks, and no secret in the file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from server.settings import Settings

COMPOSE_FILE = Path(__file__).resolve().parent.parent / "docker-compose.yml"
# ${NAME:?message}: compose refuses to start while NAME is unset or empty, saying why.
REQUIRED = re.compile(r"\$\{(?P<name>[A-Z_]+):\?(?P<message>[^}]+)\}")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|KEY")
PINNED_TIMESCALEDB = re.compile(r"^timescale/timescaledb:\d+\.\d+\.\d+-pg1[5-8]$")


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    compose: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    found: dict[str, Any] = compose["services"]
    return found


def _environment(service: dict[str, Any]) -> dict[str, str]:
    return {name: str(value) for name, value in (service.get("environment") or {}).items()}


def test_the_stack_has_its_services_and_migrates_before_the_app_starts(
    services: dict[str, Any],
) -> None:
    assert set(services) == {"db", "redis", "migrate", "api", "worker"}
    assert services["migrate"]["command"] == ["stonks", "migrate"]
    for name in ("api", "worker"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    assert services["migrate"]["depends_on"]["db"] == {"condition": "service_healthy"}


def test_long_running_services_have_health_checks_the_worker_its_own(
    services: dict[str, Any],
) -> None:
    for name in ("db", "redis", "api", "worker"):
        assert services[name]["healthcheck"]["test"][0] == "CMD", name
    assert services["worker"]["healthcheck"]["test"] == ["CMD", "stonks", "worker", "--check"]
    assert "/healthz" in " ".join(services["api"]["healthcheck"]["test"])


def test_images_are_pinned_and_every_service_has_resource_limits(
    services: dict[str, Any],
) -> None:
    assert PINNED_TIMESCALEDB.match(services["db"]["image"])
    assert not services["redis"]["image"].endswith(":latest")
    for name, service in services.items():
        limits = service["deploy"]["resources"]["limits"]
        assert {"cpus", "memory"} <= set(limits), name


def test_secrets_are_required_variables_never_values(services: dict[str, Any]) -> None:
    required: dict[str, str] = {}
    for name, service in services.items():
        for variable, value in _environment(service).items():
            references = {m["name"]: m["message"] for m in REQUIRED.finditer(value)}
            required |= references
            if SECRET_NAME.search(variable):
                assert REQUIRED.fullmatch(value), f"{name}: {variable} holds a value"
            if variable == "DATABASE_URL":
                # The password inside the URL is a reference too.
                assert "POSTGRES_PASSWORD" in references, f"{name}: DATABASE_URL password"
    assert set(required) == {"POSTGRES_PASSWORD", "ADMIN_API_KEY"}
    assert all(message.strip().startswith("set ") for message in required.values())


def test_application_settings_in_the_file_are_real_settings(services: dict[str, Any]) -> None:
    """A misspelt variable would be ignored silently (extra="ignore")."""
    known = {name.upper() for name in Settings.model_fields}
    for name in ("migrate", "api", "worker"):
        assert set(_environment(services[name])) <= known, name
