"""Settings come from PREAU_* variables, read by typed readers that fail loudly.

Each test loads the settings in a fresh interpreter, the way a deployment does, with an
environment of its own (and a var/ directory of its own, so that no local
var/secret_key leaks in).
"""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
PREAU = Path(sys.executable).parent / "preau"

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
from huey.contrib.djhuey import HUEY
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "DATABASE": {k: str(v) for k, v in settings.DATABASES["default"].items()
                 if k in ("ENGINE", "NAME", "HOST")},
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "CACHE_LOCATION": settings.CACHES["default"]["LOCATION"],
    "HUEY_CLASS": type(HUEY).__name__,
    "HUEY_STORAGE": type(HUEY.storage).__name__,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": settings.CSRF_TRUSTED_ORIGINS,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
}))
"""


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PREAU_", "PYTEST", "DJANGO_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "preau.settings",
        "PREAU_VAR_DIR": str(tmp_path),
        "PREAU_TESTING": "0",
        "PREAU_DEBUG": "0",
        "PREAU_SECRET_KEY": secrets.token_urlsafe(60)[:60],
        "PREAU_ALLOWED_HOSTS": "preau.example.org",
        "PREAU_HTTPS": "1",
    }
    env |= extra
    return {key: value for key, value in env.items() if value is not None}


def run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def load(tmp_path: Path, **extra: str) -> dict:
    result = run(PRINT_SETTINGS, production_env(tmp_path, **extra))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def fails(tmp_path: Path, **extra: str) -> str:
    result = run(PRINT_SETTINGS, production_env(tmp_path, **extra))
    assert result.returncode != 0, result.stdout
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    return result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PREAU_DEBUG", "maybe", "PREAU_DEBUG='maybe' is not a boolean (use 1/0, true/false)."),
        ("PREAU_HTTPS", "oui", "PREAU_HTTPS='oui' is not a boolean"),
        ("PREAU_WORKERS", "two", "PREAU_WORKERS='two' is not an integer."),
        ("PREAU_WORKERS", "0", "PREAU_WORKERS=0 is below the minimum 1."),
        ("PREAU_DATABASE_URL", "nonsense", "PREAU_DATABASE_URL is not a database URL"),
        ("PREAU_DATABASE_URL", "mysql://db/preau", "must start with sqlite:// or postgres://"),
        ("PREAU_REDIS_URL", "localhost:6379", "PREAU_REDIS_URL='localhost:6379' is not a URL"),
        ("PREAU_PUBLIC_URL", "preau.example.org", "PREAU_PUBLIC_URL='preau.example.org' is"),
        ("PREAU_EMAIL_BACKEND", "sendmail", "PREAU_EMAIL_BACKEND='sendmail' must be one of"),
        ("PREAU_LOG_LEVEL", "verbose", "PREAU_LOG_LEVEL='verbose' must be one of"),
        ("PREAU_SESSION_SECONDS", "60", "PREAU_SESSION_SECONDS=60 is below the minimum 300."),
    ],
)
def test_a_bad_value_fails_loudly_naming_the_variable(tmp_path, variable, value, message):
    assert message in fails(tmp_path, **{variable: value})


def test_tls_and_ssl_together_are_refused(tmp_path):
    last = fails(tmp_path, PREAU_EMAIL_USE_TLS="1", PREAU_EMAIL_USE_SSL="1")
    assert "not both" in last


def test_production_without_a_secret_key_fails(tmp_path):
    env = production_env(tmp_path)
    del env["PREAU_SECRET_KEY"]
    result = run(PRINT_SETTINGS, env)
    assert result.returncode != 0
    assert "PREAU_SECRET_KEY must be set" in result.stderr


def test_production_with_a_short_secret_key_fails(tmp_path):
    assert "50+ characters" in fails(tmp_path, PREAU_SECRET_KEY="short")


def test_secret_key_falls_back_to_the_var_file(tmp_path):
    key = secrets.token_urlsafe(64)
    (tmp_path / "secret_key").write_text(key + "\n")
    env = production_env(tmp_path)
    del env["PREAU_SECRET_KEY"]
    result = run(PRINT_SETTINGS, env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["SECRET_KEY"] == key


def test_embedded_defaults_sqlite_database_cache_and_huey_under_var(tmp_path):
    settings = load(tmp_path)
    assert settings["DEBUG"] is False
    assert settings["DATABASE"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["DATABASE"]["NAME"] == str(tmp_path / "preau.sqlite3")
    assert settings["CACHE"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings["HUEY_CLASS"] == "SqliteHuey"
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_redis_url_moves_cache_and_huey_to_redis(tmp_path):
    settings = load(tmp_path, PREAU_REDIS_URL="redis://127.0.0.1:6379/3")
    assert settings["CACHE"] == "django.core.cache.backends.redis.RedisCache"
    assert settings["CACHE_LOCATION"] == "redis://127.0.0.1:6379/3"
    assert settings["HUEY_CLASS"] == "RedisHuey"
    assert settings["HUEY_STORAGE"] == "RedisStorage"


def test_postgres_url(tmp_path):
    settings = load(tmp_path, PREAU_DATABASE_URL="postgres://preau:pw@db.internal:5432/preau")
    assert settings["DATABASE"] == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "preau",
        "HOST": "db.internal",
    }


def test_public_url_is_trusted_by_default(tmp_path):
    env = production_env(tmp_path, PREAU_PUBLIC_URL="https://ecoles.lorient.bzh/")
    del env["PREAU_ALLOWED_HOSTS"]
    result = run(PRINT_SETTINGS, env)
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)
    assert "ecoles.lorient.bzh" in settings["ALLOWED_HOSTS"]
    assert settings["CSRF_TRUSTED_ORIGINS"] == ["https://ecoles.lorient.bzh"]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [str(PREAU), "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_complains_about_plain_http(tmp_path):
    """The previous test can fail: without HTTPS, the deploy checks do warn."""
    result = subprocess.run(
        [str(PREAU), "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path, PREAU_HTTPS="0"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "security.W012" in result.stdout + result.stderr  # SESSION_COOKIE_SECURE


READS = re.compile(
    r"""(?:env_[a-z]+|getenv|environ\.get|environ\.setdefault|environ\[)\(?\s*["'](PREAU_[A-Z0-9_]+)"""
)


def test_every_variable_is_documented():
    read: set[str] = set()
    for module in (ROOT / "src" / "preau").rglob("*.py"):
        if "tests" not in module.parts:
            read |= set(READS.findall(module.read_text()))
    assert {"PREAU_SECRET_KEY", "PREAU_DATABASE_URL", "PREAU_REDIS_URL"} <= read
    documented = (ROOT / "docs" / "configuration.md").read_text()
    missing = sorted(name for name in read if f"`{name}`" not in documented)
    assert not missing, missing


def test_health_probe_is_not_redirected_to_https(tmp_path):
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "c = Client(SERVER_NAME='preau.example.org');"
        "print(c.get('/healthz').status_code, c.get('/').status_code)"
    )
    result = run(code, production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "301"]


REDIS_PROBE = """
import uuid
import django
import redis
django.setup()
from django.core.cache import cache
from huey.contrib.djhuey import HUEY
mark = uuid.uuid4().hex
cache.set("probe-" + mark, mark, 30)
stored = redis.Redis.from_url("redis://127.0.0.1:6379/7").keys("*probe-" + mark)
HUEY.storage.enqueue(mark.encode())
print(cache.get("probe-" + mark) == mark, len(stored), HUEY.storage.dequeue() == mark.encode())
cache.delete("probe-" + mark)
"""


def _redis_listening() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(
    not _redis_listening(), reason="no Redis on 127.0.0.1:6379 (.ci/run starts one)"
)
def test_cache_and_queue_really_use_redis(tmp_path):
    """Against a real Redis: a cache value and a queued message go through it."""
    result = run(REDIS_PROBE, production_env(tmp_path, PREAU_REDIS_URL="redis://127.0.0.1:6379/7"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "1", "True"]
