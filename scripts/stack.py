#!/usr/bin/env python
"""Run the Procfile's processes (web, worker, beat) on a private local PostgreSQL and Redis.

The servers are the same throwaway ones the test suite uses; they live until you press Ctrl-C. Mail goes
to EMAIL_URL when set, else to files under var/mail/. Set PORT to serve somewhere else than 8000.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.services import PostgreSQL, Redis  # noqa: E402 - the path is set just above


def main():
    postgres, redis = PostgreSQL().start(), Redis().start()
    try:
        postgres.create_database("portal")
        env = {
            **os.environ,
            "DATABASE_URL": postgres.url("portal"),
            "REDIS_URL": redis.url,
            "EMAIL_URL": os.environ.get("EMAIL_URL", f"filemail://{ROOT / 'var' / 'mail'}"),
            "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
        }
        (ROOT / "var").mkdir(exist_ok=True)
        python = str(ROOT / ".venv" / "bin" / "python")
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([python, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True)
        print(f"PostgreSQL on {postgres.port}, Redis on {redis.port}; starting web, worker and beat", flush=True)
        return subprocess.call(["honcho", "start", "web", "worker", "beat"], cwd=ROOT, env=env)
    except KeyboardInterrupt:
        return 0
    finally:
        redis.stop()
        postgres.stop()


if __name__ == "__main__":
    sys.exit(main())
