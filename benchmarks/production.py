"""The deployment the load benchmarks measure, started the way the test harness starts its servers.

``production_site()`` starts the test suite's throwaway PostgreSQL and Redis, migrates (and, with
``demo=True``, loads the demo data), collects the static files and serves the production shape: gunicorn
with as many sync workers as cores, ``DJANGO_ENV=production`` behind the TLS proxy header, the Redis cache,
URLconf ``benchmarks/floor_urls.py`` (the product plus ``/floor/``). This process is set up as a Django
client of the same database, so a benchmark can count queries and read what the requests wrote.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.services import PostgreSQL, Redis, free_port, wait_for_port  # noqa: E402

CLIENT = "203.0.113.7"  # the address the TLS proxy in front would pass on


def server_env(postgres, redis, static_root):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": "benchmark-only-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SITE_URL": "https://127.0.0.1",
        "DATABASE_URL": postgres.url("bench"),
        "REDIS_URL": redis.url,
        "EMAIL_URL": "consolemail://",
        "STATIC_ROOT": str(static_root),
        "INVALID_SUBMISSION_RATE_LIMIT": "1000000000/s",  # every wrk request comes from one address
        "PASSPORT_LOOKUP_RATE_LIMIT": "1000000000/s",
        "CASE_STATUS_LOOKUP_RATE_LIMIT": "1000000000/s",
        "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
    }


@dataclass
class Site:
    port: int
    workers: int
    client: object  # django.test.Client of the same database, as the proxy would send requests

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def origin(self):
        return f"https://127.0.0.1:{self.port}"


@contextlib.contextmanager
def production_site(*, demo=True, env=None):
    postgres, redis = PostgreSQL().start(), Redis().start()
    static_root = Path(tempfile.mkdtemp(prefix="cp-bench-static-"))
    server = None
    try:
        postgres.create_database("bench")
        full_env = {**server_env(postgres, redis, static_root), **(env or {})}
        os.environ.update({k: v for k, v in full_env.items() if k != "PATH"})
        python = str(ROOT / ".venv" / "bin" / "python")
        development = {**full_env, "DJANGO_ENV": "development"}  # the demo data refuses a production database
        commands = [(["migrate", "--noinput", "-v0"], full_env)]
        if demo:
            commands.append((["load_demo"], development))
        commands.append((["collectstatic", "--noinput", "-v0"], full_env))
        for command, command_env in commands:
            subprocess.run([python, "manage.py", *command], cwd=ROOT, env=command_env, check=True,
                           stdout=subprocess.DEVNULL)
        port, workers = free_port(), os.cpu_count()
        server_log = (static_root / "gunicorn.log").open("w")  # a 400 page logs a warning per request
        server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "consular_portal.wsgi", "--workers", str(workers),
             "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--forwarded-allow-ips", "*",
             "--log-level", "warning"],
            cwd=ROOT, env=full_env, stderr=server_log,
        )
        wait_for_port(port, process=server)

        import django

        django.setup()
        from django.test import Client

        client = Client(headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": CLIENT}, HTTP_HOST="127.0.0.1")
        yield Site(port=port, workers=workers, client=client)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        redis.stop()
        postgres.stop()
        shutil.rmtree(static_root, ignore_errors=True)
