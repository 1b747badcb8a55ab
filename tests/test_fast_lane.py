"""`make test-fast`: the tests marked pure run alone in seconds, on the embedded SQLite, and start no server."""

import subprocess
import sys
import time

import pytest

from . import services
from .services import ROOT


@pytest.mark.pure
def test_a_server_asked_for_in_the_fast_lane_is_refused(monkeypatch):
    monkeypatch.setattr(services, "FAST_LANE", True)
    with pytest.raises(services.ServiceError, match="starts no server"):
        services.SMTPPeer().start()
    with pytest.raises(services.ServiceError, match="starts no server"):
        services.CeleryWorker(env={}).start(app=None)


def test_the_fast_lane_passes_quickly_without_any_server():
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-m", "pure", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    elapsed = time.monotonic() - started
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in summary and "error" not in summary and "deselected" in summary, summary
    # Any PostgreSQL, Redis, SMTP peer, worker or browser would have failed the run (services.FAST_LANE).
    assert "ServiceError" not in result.stdout
    assert elapsed < 90, f"the fast lane took {elapsed:.0f}s: {summary}"
