"""Workers for the reliability suite: the real worker process, with every delay of the outbox shortened
through its settings (retry backoff, sweep interval, claim timeout, visibility timeout) so an outage and its
recovery take seconds. While this suite runs, the session's worker is stopped (once for all its modules, as
each start of a worker takes seconds): only these workers, with these timings, take the outbox's tasks."""

import time

import pytest

from consular_portal.celery import app as celery_app
from consular_portal.models import OutboundEmail

from .. import services

FAST = {
    "OUTBOX_RETRY_BASE_SECONDS": "1",  # backoff 1 s, 2 s, 4 s ...
    "OUTBOX_SWEEP_SECONDS": "0.5",  # the beat's sweep
    "OUTBOX_SWEEP_GRACE_SECONDS": "1",  # a queued row whose enqueue failed is swept after a second
    # A claim lapses only once its task must be dead (after the hard time limit); the limits leave a slow send
    # on a loaded machine time to finish, so no live send is taken for a dead one (the killed-worker test
    # shortens them).
    "CELERY_TASK_SOFT_TIME_LIMIT": "20",
    "CELERY_TASK_TIME_LIMIT": "25",
    "OUTBOX_CLAIM_TIMEOUT_SECONDS": "30",
    "CELERY_VISIBILITY_TIMEOUT": "8",  # a task a dead worker took comes back after 8 s
    "EMAIL_TIMEOUT": "5",
}


@pytest.fixture(scope="package")
def fast_env(celery_worker):
    """The session worker's environment with the short timings; the session worker waits meanwhile."""
    celery_worker.stop()
    yield {**celery_worker.env, **FAST}
    celery_worker.start(celery_app)


@pytest.fixture
def start_worker(fast_env):
    """Start a worker (``beat=True``: with the periodic sweep) on the test database; stopped after the test."""
    started = []

    def start(name, beat=False, concurrency=2, **env):
        worker = services.CeleryWorker({**fast_env, **env}, concurrency=concurrency, name=name, beat=beat)
        started.append(worker)
        return worker.start(celery_app)

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def start_web(fast_env):
    """Start a gunicorn web process (``workers`` sync workers) on the test database, Redis and SMTP peer, with
    the public forms' rate limits open (every request comes from 127.0.0.1); stopped after the test."""
    from tests.site.public_forms import UNLIMITED

    started = []

    def start(workers=1, **env):
        server = services.WebServer({**fast_env, **UNLIMITED, **env}, workers=workers)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


def wait_until(condition, timeout=30, what="the condition"):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached after {timeout}s")
        time.sleep(0.02)
    return result


def delivered_once(mailbox, rows):
    """Every row is marked sent and arrived at the SMTP peer exactly once, and nothing else arrived."""
    ids = sorted(str(row.pk) for row in rows)
    wait_until(lambda: len(mailbox.messages) >= len(ids), what=f"{len(ids)} messages at the peer")
    wait_until(lambda: OutboundEmail.objects.filter(pk__in=ids, status="sent").count() == len(ids),
               what="every row marked sent")
    time.sleep(0.5)  # anything sent twice would arrive now
    assert sorted(m["X-Outbox-Id"] for m in mailbox.messages) == ids
