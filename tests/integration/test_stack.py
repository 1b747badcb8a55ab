"""`make stack`: the Procfile's processes on a local PostgreSQL and Redis."""

import json
import os
import subprocess
import time

from tests.services import free_port, wait_for_port

from .test_embedded_default import ROOT, get, stop


def test_stack_runs_web_worker_and_beat_on_postgresql_and_redis(smtp):
    port = free_port()
    env = {**os.environ, "PORT": str(port), "EMAIL_URL": smtp.url}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "scripts/stack.py"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        wait_for_port(port, timeout=120, process=process)
        deadline = time.monotonic() + 60
        while True:
            status, body = get(f"http://127.0.0.1:{port}/readyz")
            if status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert status == 200, body
        assert json.loads(body)["broker"] == "ok"
        status, body = get(f"http://127.0.0.1:{port}/en/")
        assert status == 200 and "U.S. Embassy Tokyo" in body
    finally:
        output = stop(process)
    assert "celery@" in output and "ready" in output, output[-3000:]
    assert "beat: Starting" in output, output[-3000:]
