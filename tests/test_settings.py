"""Settings come only from the environment; production passes every deploy check."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x7Qm2vB9tLr4Kp8Zs1Wc6Nd3Hf5Jg0Ya-Ue7Io2Pq9Rt4Yw1Sa8Df3Gh6Jk5Lz0Xc",
    "ALLOWED_HOSTS": "visa.example.gov",
    "DATABASE_URL": "postgres://portal:secret@db.internal:5432/portal",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp://mail.internal:25",
}


def manage(*args, env=None):
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def settings_value(name, env):
    result = manage("shell", "-c", f"from django.conf import settings; print(repr(settings.{name}))", env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_complains_in_development():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W018" in result.stderr + result.stdout  # DEBUG is on


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Set SECRET_KEY or SECRET_KEY_FILE" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("k" * 10 + "from-a-file-" + "q" * 40 + "\n")
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"} | {"SECRET_KEY_FILE": str(secret)}
    assert settings_value("SECRET_KEY", env) == repr(secret.read_text().strip())


def test_unknown_environment_name_is_refused():
    result = manage("check", env={"DJANGO_ENV": "staging"})
    assert result.returncode != 0
    assert "DJANGO_ENV must be" in result.stderr


def test_embedded_default_runs_without_services():
    assert settings_value("DATABASES['default']['ENGINE']", {}) == "'django.db.backends.sqlite3'"
    assert settings_value("CELERY_TASK_ALWAYS_EAGER", {}) == "True"
    assert settings_value("CACHES['default']['BACKEND']", {}) == "'django.core.cache.backends.locmem.LocMemCache'"
    assert "filebased" in settings_value("MAILERS['default']['BACKEND']", {})


def test_services_come_from_urls():
    env = {
        "DATABASE_URL": "postgres://u:p@db:5432/portal",
        "REDIS_URL": "redis://cache:6379/1",
        "EMAIL_URL": "smtp+tls://user:pw@mail:587",
        "ADMIN_URL": "back-office",
    }
    assert settings_value("DATABASES['default']['CONN_MAX_AGE']", env) == "60"
    assert settings_value("DATABASES['default']['CONN_HEALTH_CHECKS']", env) == "True"
    assert settings_value("CELERY_BROKER_URL", env) == "'redis://cache:6379/1'"
    assert settings_value("CELERY_TASK_ALWAYS_EAGER", env) == "False"
    assert settings_value("CACHES['default']['LOCATION']", env) == "'redis://cache:6379/1'"
    assert settings_value("MAILERS['default']['OPTIONS']['host']", env) == "'mail'"
    assert settings_value("MAILERS['default']['OPTIONS']['use_tls']", env) == "True"
    assert settings_value("ADMIN_URL", env) == "'back-office/'"


def test_celery_is_configured_for_reliable_delivery():
    from consular_portal.celery import app

    conf = app.conf
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit
    assert conf.task_routes["consular_portal.tasks.send_outbound_email"] == {"queue": "mail"}
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.broker_transport_options["socket_connect_timeout"]
    assert "consular_portal.tasks.sweep_outbox" in {e["task"] for e in conf.beat_schedule.values()}
