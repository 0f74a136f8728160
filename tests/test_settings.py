from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from server.settings import Environment, Settings

STRONG_KEY = "k" * 40


def test_development_accepts_the_embedded_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "REDIS_URL", "ADMIN_API_KEY", "ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)

    settings = Settings(_env_file=None)

    assert settings.environment is Environment.DEVELOPMENT
    assert settings.database_url is None
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.internal/stonks")
    monkeypatch.setenv("PORT", "9000")

    settings = Settings(_env_file=None)

    assert settings.database_url is not None
    assert settings.database_url.get_secret_value() == "postgresql://db.internal/stonks"
    assert settings.port == 9000
    assert "db.internal" not in repr(settings)


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({}, "ADMIN_API_KEY"),
        ({"admin_api_key": "changeme"}, "ADMIN_API_KEY"),
        ({"admin_api_key": "short"}, "ADMIN_API_KEY"),
        ({"admin_api_key": STRONG_KEY, "allowed_origins": ("*",)}, "ALLOWED_ORIGINS"),
    ],
)
def test_production_refuses_unsafe_values(overrides: dict[str, Any], complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        Settings(_env_file=None, environment=Environment.PRODUCTION, **overrides)


def test_production_accepts_safe_values() -> None:
    settings = Settings(
        _env_file=None, environment=Environment.PRODUCTION, admin_api_key=STRONG_KEY
    )
    assert not settings.is_development


def test_port_out_of_range_is_refused() -> None:
    with pytest.raises(ValidationError, match="port"):
        Settings(_env_file=None, port=70000)
