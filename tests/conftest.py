"""Fixtures for the whole suite.

Every test runs on a throwaway PostgreSQL (psycopg2, as in production) and a private Redis, both started
here. Tests that send mail ask for ``celery_worker`` (a real worker process) and ``smtp`` (an aiosmtpd peer
that records messages); browser tests ask for ``page`` (headless Chromium through Playwright).

The fast lane: a module marked ``pure`` tests plain functions and needs none of these servers. When every
selected test is pure (``make test-fast``, i.e. ``pytest -m pure``), the session uses the embedded default
instead (an in-memory SQLite test database, the local-memory cache, tasks run eagerly) and starts nothing.
A run that selects any other test puts every test, pure ones included, on PostgreSQL and Redis.

Staff personas (``officer_tokyo``, ``officer_shanghai``, ``passport_staff``, ``administrator``) and the
expedite policies are defined here, once, for every directory; ``tests/factories.py`` builds the rows and
``tests/form_data.py`` the valid form submissions.
"""

import os

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connections
from django.test import override_settings

from consular_portal.celery import app as celery_app

from . import factories, services

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Production's algorithm with a thousand rounds instead of over a million: each staff persona costs a hash
    (a second or two on the CI machine), and the suite makes hundreds. The rounds are written into each hash, so
    a web process started with the production hashers (the production-mode tests) still verifies them."""

    iterations = 1_000


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashing():
    override = override_settings(PASSWORD_HASHERS=[f"{__name__}.QuickPBKDF2PasswordHasher"])
    override.enable()
    yield
    override.disable()


@pytest.fixture(scope="session")
def postgres():
    server = services.PostgreSQL().start()
    yield server
    server.stop()


def pytest_collection_modifyitems(config, items):
    config.only_pure_tests = bool(items) and all(item.get_closest_marker("pure") for item in items)
    services.FAST_LANE = config.only_pure_tests
    if config.only_pure_tests:
        # Tables straight from the models: a pure test seeds the rows it reads (posts, policies) itself.
        config.option.nomigrations = True


def needs_services(request):
    """False only when the whole session is the fast lane (every selected test is pure)."""
    return not getattr(request.config, "only_pure_tests", False)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request):
    """Point Django at the throwaway PostgreSQL before pytest-django creates the test database (the fast
    lane keeps the embedded SQLite default, which pytest-django creates in memory)."""
    if not needs_services(request):
        return
    postgres = request.getfixturevalue("postgres")
    settings.DATABASES["default"].update(postgres.settings, CONN_MAX_AGE=0, CONN_HEALTH_CHECKS=False)
    settings.DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
    # Anything that touched the database before now holds a wrapper of the embedded default's engine.
    connections.close_all()
    if hasattr(connections._connections, "default"):
        del connections["default"]


@pytest.fixture(scope="session")
def redis_server():
    server = services.Redis().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _real_redis(redis_server):
    """Cache and Celery broker on the private Redis; tasks are sent to the broker, never run eagerly."""
    cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1},
        },
        "layout": settings.CACHES["layout"],
    }
    override = override_settings(CACHES=cache, CELERY_BROKER_URL=redis_server.url, CELERY_TASK_ALWAYS_EAGER=False)
    override.enable()
    celery_app.conf.update(
        broker_url=redis_server.url,
        task_always_eager=False,
        broker_transport_options={**settings.CELERY_BROKER_TRANSPORT_OPTIONS, "socket_timeout": 1,
                                  "socket_connect_timeout": 1},
    )
    yield
    override.disable()


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Every test but the fast lane's runs on the private Redis; each starts with an empty cache."""
    from django.core.cache import cache, caches

    if needs_services(request):
        request.getfixturevalue("_real_redis")

    caches["layout"].clear()
    try:
        cache.clear()
    except Exception:  # noqa: BLE001 - a test may have stopped Redis on purpose
        pass


@pytest.fixture(autouse=True)
def _default_language():
    """A page in Japanese or Chinese leaves that language active in the test's thread: every test starts,
    and ends, in the default, whatever ran before it."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def smtp():
    peer = services.SMTPPeer().start()
    yield peer
    peer.stop()


@pytest.fixture
def mailbox(smtp):
    """The SMTP peer, emptied for this test."""
    smtp.clear()
    return smtp


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, postgres, redis_server, _real_redis, smtp):
    """A real worker process on the test database (created by pytest-django), Redis and the SMTP peer."""
    env = {
        **os.environ,
        "DJANGO_ENV": "development",
        "DATABASE_URL": postgres.url(settings.DATABASES["default"]["NAME"]),
        "CONN_MAX_AGE": "0",
        "REDIS_URL": redis_server.url,
        "EMAIL_URL": smtp.url,
        "OUTBOX_ALLOWED_DOMAINS": ",".join(settings.OUTBOX_ALLOWED_DOMAINS),
        "PYTHONUNBUFFERED": "1",
    }
    worker = services.CeleryWorker(env).start(celery_app)
    yield worker
    worker.stop()


@pytest.fixture
def posts(db):
    """The seeded posts (transactional tests empty the tables, so seed again when needed)."""
    return factories.seeded_posts()


@pytest.fixture
def tokyo(posts):
    return posts["tokyo"]


@pytest.fixture
def shanghai(posts):
    return posts["shanghai"]


@pytest.fixture
def policies(posts):
    return factories.seeded_policies()


@pytest.fixture
def inquiry_policies(posts):
    return factories.seeded_inquiry_policies()


@pytest.fixture
def tokyo_policy(policies):
    return policies["tokyo"]


@pytest.fixture
def shanghai_policy(policies):
    return policies["shanghai"]


# Staff personas, in the groups the data migrations create ------------------------------------------------


@pytest.fixture
def officer_tokyo(tokyo):
    return factories.officer(tokyo, username="officer-tokyo")


@pytest.fixture
def officer_shanghai(shanghai):
    return factories.officer(shanghai, username="officer-shanghai")


@pytest.fixture
def passport_staff(tokyo, shanghai):
    return factories.passport_staff(tokyo, shanghai, username="passport-staff")


@pytest.fixture
def administrator(db):
    return factories.administrator(username="administrator")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    services.refuse_in_fast_lane("Chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=services.chromium_path(), args=services.CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
