"""docker-compose.yml and the Procfile run commands that exist, with variables the settings read.

No Docker engine runs here, so the files are checked against the code instead of being run.
"""

import json
import re
import runpy
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

pytestmark = pytest.mark.pure

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
PORTAL_SERVICES = {name: s for name, s in COMPOSE["services"].items() if s.get("image") == "consular-portal"}
PROCFILE = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())


def settings_variables():
    """Every environment variable consular_portal/settings.py reads."""
    source = (ROOT / "consular_portal/settings.py").read_text()
    names = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z0-9_]+)"', source))
    secrets = set(re.findall(r'env_secret\(\s*"([A-Z0-9_]+)"', source))
    return names | secrets | {f"{name}_FILE" for name in secrets}


def check_command(command):
    argv = shlex.split(command)
    program = argv[0]
    if program == "gunicorn":
        module, _, attribute = argv[1].partition(":")
        imported = __import__(module, fromlist=["_"])
        assert getattr(imported, attribute or "application")
    elif program == "celery":
        assert argv[1:3] == ["-A", "consular_portal"]
        assert argv[3] in {"worker", "beat"}
        if argv[3] == "worker":
            queues = set(argv[argv.index("--queues") + 1].split(","))
            from django.conf import settings

            routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
            assert routed | {settings.CELERY_TASK_DEFAULT_QUEUE} <= queues, "every queue has a worker"
    elif program == "python":
        assert argv[1] == "manage.py" and (ROOT / "manage.py").exists()
        assert argv[2] in get_commands(), f"no management command {argv[2]}"
    else:
        pytest.fail(f"unknown program {program!r} in {command!r}")


@pytest.mark.parametrize("name", sorted(PORTAL_SERVICES))
def test_every_compose_service_runs_a_command_that_exists(name):
    check_command(PORTAL_SERVICES[name]["command"])


@pytest.mark.parametrize("name", sorted(PROCFILE))
def test_every_procfile_process_runs_a_command_that_exists(name):
    check_command(PROCFILE[name])


def test_compose_variables_are_the_ones_settings_read():
    environment = COMPOSE["x-portal"]["environment"]
    unknown = set(environment) - settings_variables()
    assert not unknown, f"compose sets variables the settings never read: {unknown}"
    for required in ("DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"):
        assert required in environment
    assert environment["DJANGO_ENV"] == "production"


def test_compose_runs_every_process_of_the_procfile_on_postgresql_and_redis():
    assert {"web", "worker", "beat"} <= set(PORTAL_SERVICES) and {"web", "worker", "beat"} <= set(PROCFILE)
    assert {"db", "redis"} <= set(COMPOSE["services"])
    for service in PORTAL_SERVICES.values():
        assert set(service["depends_on"]) == {"db", "redis"}


def test_dockerfile_builds_one_image_that_runs_as_an_unprivileged_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("# ") and "FROM python:3.12" in dockerfile
    assert "collectstatic" in dockerfile and "\nUSER portal" in dockerfile


def gunicorn_commands():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE).group(1))
    return {"compose web": shlex.split(COMPOSE["services"]["web"]["command"]), "Procfile web": shlex.split(
        PROCFILE["web"]), "Dockerfile CMD": cmd}


@pytest.mark.parametrize("where", ["compose web", "Procfile web", "Dockerfile CMD"])
def test_gunicorn_runs_with_the_portals_config_everywhere(where):
    argv = gunicorn_commands()[where]
    assert argv[:2] == ["gunicorn", "consular_portal.wsgi"]
    assert argv[argv.index("--config") + 1] == "consular_portal/gunicorn.conf.py"
    assert not {"--access-logfile", "--bind", "--forwarded-allow-ips"} & set(argv), "set in the config file"


def test_gunicorn_config_logs_access_through_the_private_logger():
    from django.utils.module_loading import import_string
    from gunicorn.config import Config

    from consular_portal.access_log import AccessLogger

    values = runpy.run_path(str(ROOT / "consular_portal/gunicorn.conf.py"))
    config = Config()
    for name in ("bind", "workers", "accesslog", "logger_class", "forwarded_allow_ips", "timeout"):
        config.set(name, values[name])
    assert config.accesslog == "-"
    assert config.logger_class is AccessLogger or import_string(values["logger_class"]) is AccessLogger


def test_compose_publishes_no_application_port_to_other_hosts():
    for name, service in COMPOSE["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} on every interface"
    assert COMPOSE["x-portal"]["environment"]["TRUSTED_PROXY_COUNT"]
