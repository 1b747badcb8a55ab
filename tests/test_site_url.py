"""SITE_URL: the one address absolute links are made on, required in production and checked on deploy."""

import pytest

from consular_portal.site_url import absolute_url
from tests.test_settings import PRODUCTION_ENV, manage, settings_value


def test_production_refuses_to_start_without_a_site_url():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SITE_URL"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Set SITE_URL" in result.stderr


def test_the_embedded_default_links_to_the_local_server():
    assert settings_value("SITE_URL", {}) == "'http://127.0.0.1:8000'"


@pytest.mark.parametrize(("site_url", "check"), [
    ("http://visa.example.gov", "consular_portal.W003"),  # not HTTPS
    ("https://elsewhere.example.gov", "consular_portal.W004"),  # not a host the portal serves
    ("https://visa.example.gov/portal", "consular_portal.W005"),  # a path: links would lose it
])
def test_check_deploy_warns_of_a_site_url_that_would_make_broken_links(site_url, check):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV | {"SITE_URL": site_url})
    assert result.returncode != 0
    assert check in result.stdout + result.stderr


def test_a_site_url_without_a_scheme_is_refused():
    result = manage("check", env={"SITE_URL": "visa.example.gov"})
    assert result.returncode != 0 and "SITE_URL must start with" in result.stderr


@pytest.mark.pure
def test_absolute_links_start_with_site_url(settings):
    settings.SITE_URL = "https://visa.example.gov"
    assert absolute_url("/en/passports/status/") == "https://visa.example.gov/en/passports/status/"
