"""Settings come only from the environment; production passes every deploy check."""

import os
import subprocess
import sys
from ast import literal_eval
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x7Qm2vB9tLr4Kp8Zs1Wc6Nd3Hf5Jg0Ya-Ue7Io2Pq9Rt4Yw1Sa8Df3Gh6Jk5Lz0Xc",
    "ALLOWED_HOSTS": "visa.example.gov",
    "SITE_URL": "https://visa.example.gov",
    "DATABASE_URL": "postgres://portal:secret@db.internal:5432/portal",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp://mail.internal:25",
    "TRUSTED_PROXY_COUNT": "1",
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


def test_check_deploy_asks_for_the_number_of_proxies_behind_a_proxy():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "TRUSTED_PROXY_COUNT"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "consular_portal.W001" in result.stdout + result.stderr
    assert "TRUSTED_PROXY_COUNT is 1 only because BEHIND_TLS_PROXY is on" in result.stdout + result.stderr


def test_importing_the_settings_creates_no_folder(tmp_path):
    package = tmp_path / "consular_portal"
    package.mkdir()
    (package / "settings.py").write_text((ROOT / "consular_portal/settings.py").read_text())
    code = (
        "import importlib.util, sys; "
        f"spec = importlib.util.spec_from_file_location('s', {str(package / 'settings.py')!r}); "
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module); "
        "print(module.DATABASES['default']['NAME'])"
    )
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=base, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "var/db.sqlite3")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["consular_portal"]


def test_the_embedded_database_folder_is_made_at_startup(tmp_path):
    from consular_portal.apps import create_sqlite_directories

    database = tmp_path / "var" / "db.sqlite3"
    create_sqlite_directories({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(database)},
                               "memory": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})
    assert database.parent.is_dir() and not database.exists()


def test_tasks_run_eagerly_only_when_asked_or_embedded():
    assert settings_value("TASKS_EAGER", {}) == "True"
    assert settings_value("CELERY_TASK_ALWAYS_EAGER", {"REDIS_URL": "redis://cache:6379/1"}) == "False"
    assert settings_value("CELERY_TASK_ALWAYS_EAGER", {"TASKS_EAGER": "false"}) == "False"
    assert settings_value("CELERY_TASK_ALWAYS_EAGER", {"REDIS_URL": "redis://c:6379/1", "TASKS_EAGER": "1"}) == "True"


def test_production_refuses_to_run_tasks_eagerly():
    without_redis = {k: v for k, v in PRODUCTION_ENV.items() if k != "REDIS_URL"}
    result = manage("check", env=without_redis)
    assert result.returncode != 0 and "Production runs tasks on a worker" in result.stderr
    result = manage("check", env=PRODUCTION_ENV | {"TASKS_EAGER": "true"})
    assert result.returncode != 0 and "Production runs tasks on a worker" in result.stderr


def test_every_email_url_gives_its_backend_only_the_options_it_takes():
    smtp = literal_eval(settings_value("MAILERS['default']", {"EMAIL_URL": "smtp+ssl://user%40post:p%2Fw@mail:465"}))
    assert smtp == ({"BACKEND": "consular_portal.mail_backends.EmailBackend", "OPTIONS": {
        "timeout": 20, "username": "user@post", "password": "p/w", "host": "mail", "port": 465, "use_ssl": True}})
    timeout = settings_value("MAILERS['default']['OPTIONS']['timeout']", {"EMAIL_URL": "smtp://mail:25?timeout=5"})
    assert timeout == "5"
    files = literal_eval(settings_value("MAILERS['default']", {"EMAIL_URL": "filemail:///srv/mail"}))
    assert files == ({"BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                          "OPTIONS": {"file_path": "/srv/mail"}})
    console = literal_eval(settings_value("MAILERS['default']", {"EMAIL_URL": "consolemail://"}))
    assert console == ({"BACKEND": "django.core.mail.backends.console.EmailBackend", "OPTIONS": {}})


def test_production_cookies_are_host_only_and_the_language_cookie_is_same_site():
    assert settings_value("SESSION_COOKIE_NAME", PRODUCTION_ENV) == "'__Host-sessionid'"
    assert settings_value("CSRF_COOKIE_NAME", PRODUCTION_ENV) == "'__Host-csrftoken'"
    assert settings_value("LANGUAGE_COOKIE_SAMESITE", PRODUCTION_ENV) == "'Lax'"
    assert settings_value("LANGUAGE_COOKIE_SECURE", PRODUCTION_ENV) == "True"
    assert settings_value("SESSION_COOKIE_NAME", {}) == "'sessionid'"  # plain HTTP on a laptop
