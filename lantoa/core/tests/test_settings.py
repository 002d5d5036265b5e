"""The settings module read in fresh processes, the way the server and the commands read it.

Each case runs ``config.settings`` in a subprocess with a clean environment and a copy of the
``config`` package in a temporary folder, so neither this machine's environment nor a developer's
``.env`` file can change the answer.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
PROBE = """
import json
from django.conf import settings
settings.SECRET_KEY  # raises when unusable
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "DATABASE": {k: str(v) for k, v in settings.DATABASES["default"].items() if k != "OPTIONS"},
    "DB_OPTIONS": {k: str(v) for k, v in settings.DATABASES["default"].get("OPTIONS", {}).items()},
    "CACHE": settings.CACHES["default"],
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_PRELOAD": settings.SECURE_HSTS_PRELOAD,
    "SILENCED_SYSTEM_CHECKS": settings.SILENCED_SYSTEM_CHECKS,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "LANTOA_2FA_REQUIRED_ROLES": settings.LANTOA_2FA_REQUIRED_ROLES,
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
}))
"""
PRODUCTION_KEY = "x7#Qm2!vLp9@Rt4$Wz8%Nb3^Hc6&Jd1*Kf5(Gs0)Ye-Ua_Io+Pl"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a copy of ``config/`` (so BASE_DIR, ``.env`` and ``var/`` are its own)."""
    root = tmp_path_factory.mktemp("settings")
    shutil.copytree(REPO / "config", root / "config", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _run(sandbox: Path, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(sandbox),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", code], cwd=sandbox, env=clean, capture_output=True, text=True, timeout=120, check=False
    )


def _settings(sandbox: Path, **env: str) -> dict[str, Any]:
    result = _run(sandbox, PROBE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_refuses_to_start_without_a_secret_key(sandbox: Path) -> None:
    result = _run(sandbox, "import django; django.setup()", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is the development key while DEBUG is off" in result.stderr


def test_production_refuses_the_development_key_given_explicitly(sandbox: Path) -> None:
    from config.settings import DEV_SECRET_KEY

    result = _run(sandbox, "import django; django.setup()", DEBUG="0", SECRET_KEY=DEV_SECRET_KEY)
    assert result.returncode != 0
    assert "SECRET_KEY is the development key while DEBUG is off" in result.stderr


def test_debug_off_is_the_default(sandbox: Path) -> None:
    result = _run(sandbox, "import django; django.setup()")
    assert result.returncode != 0
    assert "SECRET_KEY is the development key" in result.stderr


def test_production_settings_load_with_a_proper_key(sandbox: Path) -> None:
    loaded = _settings(sandbox, DEBUG="0", SECRET_KEY=PRODUCTION_KEY, ALLOWED_HOSTS="lantoa.example.org")
    assert loaded["DEBUG"] is False
    assert loaded["ALLOWED_HOSTS"] == ["lantoa.example.org"]
    assert loaded["SECURE_SSL_REDIRECT"] is True
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["CSRF_COOKIE_SECURE"] is True
    assert loaded["SECURE_HSTS_SECONDS"] == 31536000
    assert loaded["LANTOA_2FA_REQUIRED_ROLES"] == ["administrator", "manager"]
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_the_demo_runs_with_debug_and_the_development_key(sandbox: Path) -> None:
    loaded = _settings(sandbox, DEBUG="1")
    assert loaded["DEBUG"] is True
    assert loaded["LANTOA_2FA_REQUIRED_ROLES"] == []
    assert loaded["SECURE_SSL_REDIRECT"] is False
    assert set(loaded["ALLOWED_HOSTS"]) == {"127.0.0.1", "localhost"}


def test_sqlite_is_the_default_database(sandbox: Path) -> None:
    loaded = _settings(sandbox, DEBUG="1")
    assert loaded["DATABASE"]["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["DATABASE"]["NAME"] == str(sandbox / "var" / "lantoa.sqlite3")
    assert loaded["DB_OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in loaded["DB_OPTIONS"]["init_command"]
    assert (sandbox / "var").is_dir()


def test_sqlite_path_moves_the_database(sandbox: Path, tmp_path: Path) -> None:
    loaded = _settings(sandbox, DEBUG="1", SQLITE_PATH=str(tmp_path / "elsewhere" / "db.sqlite3"))
    assert loaded["DATABASE"]["NAME"] == str(tmp_path / "elsewhere" / "db.sqlite3")


def test_database_url_selects_postgresql_with_persistent_connections(sandbox: Path) -> None:
    url = "postgres://lantoa:secret@db.example.org:5433/lantoa_prod"
    loaded = _settings(sandbox, DEBUG="0", SECRET_KEY=PRODUCTION_KEY, DATABASE_URL=url)
    database = loaded["DATABASE"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["HOST"], database["PORT"]) == (
        "lantoa_prod",
        "lantoa",
        "db.example.org",
        "5433",
    )
    assert database["CONN_MAX_AGE"] == "600"
    assert database["CONN_HEALTH_CHECKS"] == "True"

    shorter = _settings(sandbox, DEBUG="0", SECRET_KEY=PRODUCTION_KEY, DATABASE_URL=url, DB_CONN_MAX_AGE="60")
    assert shorter["DATABASE"]["CONN_MAX_AGE"] == "60"


def test_redis_url_selects_the_redis_cache(sandbox: Path) -> None:
    loaded = _settings(sandbox, DEBUG="0", SECRET_KEY=PRODUCTION_KEY, REDIS_URL="redis://cache.example.org:6379/1")
    assert loaded["CACHE"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.example.org:6379/1",
    }


def test_the_database_cache_is_the_default(sandbox: Path) -> None:
    loaded = _settings(sandbox, DEBUG="0", SECRET_KEY=PRODUCTION_KEY)
    assert loaded["CACHE"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_hsts_preload_warning_is_silenced_only_until_preload_is_chosen(sandbox: Path) -> None:
    default = _settings(sandbox, DEBUG="0", SECRET_KEY=PRODUCTION_KEY)
    assert default["SECURE_HSTS_PRELOAD"] is False
    assert "security.W021" in default["SILENCED_SYSTEM_CHECKS"]
    preload = _settings(sandbox, DEBUG="0", SECRET_KEY=PRODUCTION_KEY, SECURE_HSTS_PRELOAD="1")
    assert preload["SECURE_HSTS_PRELOAD"] is True
    assert "security.W021" not in preload["SILENCED_SYSTEM_CHECKS"]


def test_dotenv_file_fills_in_but_never_overrides_the_environment(sandbox: Path) -> None:
    (sandbox / ".env").write_text(f"# comment\nSECRET_KEY='{PRODUCTION_KEY}'\nALLOWED_HOSTS=from-dotenv.example.org\n")
    try:
        loaded = _settings(sandbox, DEBUG="0", ALLOWED_HOSTS="from-env.example.org")
    finally:
        (sandbox / ".env").unlink()
    assert loaded["DEBUG"] is False  # the key came from .env, so production settings loaded
    assert loaded["ALLOWED_HOSTS"] == ["from-env.example.org"]


def test_production_settings_pass_the_deployment_checks(sandbox: Path) -> None:
    result = _run(
        sandbox,
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        DEBUG="0",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="lantoa.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_every_variable_the_settings_read_is_documented_in_env_example() -> None:
    source = (REPO / "config" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'(?:environ\.get|_env_bool|_env_list)\(\s*"([A-Z0-9_]+)"', source))
    documented = set(re.findall(r"^#? ?([A-Z0-9_]+)=", (REPO / ".env.example").read_text(encoding="utf-8"), re.M))
    assert read, "no environment variable found in config/settings.py"
    assert read - documented == set()


def test_env_example_as_a_dotenv_file_loads_once_given_a_key(sandbox: Path) -> None:
    text = (REPO / ".env.example").read_text(encoding="utf-8")
    text = text.replace("\nSECRET_KEY=\n", f"\nSECRET_KEY={PRODUCTION_KEY}\n")
    (sandbox / ".env").write_text(text, encoding="utf-8")
    try:
        loaded = _settings(sandbox)
    finally:
        (sandbox / ".env").unlink()
    assert loaded["DEBUG"] is False
    assert loaded["ALLOWED_HOSTS"] == ["lantoa.example.org"]
    assert loaded["DATABASE"]["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["CACHE"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert loaded["LANTOA_2FA_REQUIRED_ROLES"] == ["administrator", "manager"]
