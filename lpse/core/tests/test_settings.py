"""GEN-2: one settings module from environment variables, loud on bad values."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SETUP = "import django; django.setup(); from django.conf import settings as s; print({})"


def run_settings(tmp_path, expression: str = "s.DEBUG", **env: str):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LPSE_", "DATABASE_URL", "REDIS_URL", "SMTP_URL"))
    }
    environment.update(DJANGO_SETTINGS_MODULE="lpse.settings", LPSE_DATA_DIR=str(tmp_path))
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", SETUP.format(expression)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LPSE_DEBUG", "maybe"),
        ("LPSE_STAFF_IDLE_MINUTES", "tiga puluh"),
        ("LPSE_TRUSTED_PROXIES", "-1"),
        ("DATABASE_URL", "mysql://root@localhost/lpse"),
        ("REDIS_URL", "localhost:6379"),
        ("SMTP_URL", "smtp://:2525"),
        ("LPSE_SECRET_KEY", "too-short"),
        ("LPSE_SITE_URL", "lpse.example.go.id"),
    ],
)
def test_malformed_variable_stops_startup_naming_it(tmp_path, variable, value):
    """GEN-2: a malformed env value stops start-up with a message naming the variable."""
    result = run_settings(tmp_path, **{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_defaults_are_the_embedded_single_machine_setup(tmp_path):
    """GEN-2: no variables at all gives SQLite, the SQLite task queue and mail to files."""
    expression = (
        "s.DATA_DIR, s.DATABASES['default']['ENGINE'], s.HUEY['huey_class'], "
        "s.EMAIL_BACKEND, s.LANGUAGE_CODE, s.TIME_ZONE"
    )
    result = run_settings(tmp_path, expression)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert str(tmp_path) in out
    assert "sqlite3" in out
    assert "huey.SqliteHuey" in out
    assert "filebased" in out
    assert " id " in out
    assert "Asia/Jakarta" in out
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_scaled_out_setup_comes_from_variables(tmp_path):
    """GEN-2: DATABASE_URL, REDIS_URL and SMTP_URL switch to PostgreSQL, Redis and SMTP."""
    result = run_settings(
        tmp_path,
        "s.DATABASES['default']['ENGINE'], s.HUEY['huey_class'], s.EMAIL_HOST, "
        "s.EMAIL_PORT, s.CACHES['default']['BACKEND']",
        DATABASE_URL="postgres://lpse:rahasia@db.internal:5432/lpse",
        REDIS_URL="redis://cache.internal:6379/0",
        SMTP_URL="smtp://relay.internal:2525",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "postgresql" in out
    assert "huey.RedisHuey" in out
    assert "relay.internal" in out and "2525" in out
    assert "RedisCache" in out


def test_secret_key_file_is_reused_across_starts(tmp_path):
    first = run_settings(tmp_path, "s.SECRET_KEY")
    second = run_settings(tmp_path, "s.SECRET_KEY")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) >= 50


@pytest.mark.parametrize("variable", ["LPSE_WORKING_HOURS", "LPSE_VERIFICATION_HOURS"])
def test_malformed_working_hours_fail_the_startup_checks(tmp_path, variable):
    """SOP-4, GEN-2: `lpse setup` (migrate runs the checks) refuses bad working hours."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LPSE_")}
    environment.update(LPSE_DATA_DIR=str(tmp_path), **{variable: "8-16"})
    result = subprocess.run(
        [sys.executable, "-m", "lpse.cli", "check"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert variable in result.stderr
