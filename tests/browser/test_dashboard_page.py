"""The dashboard, the admin's landing page, in Chromium: no WCAG 2.1 AA violation by axe-core, and every figure
(its chart and its table) without JavaScript."""

import datetime as dt

import pytest

from tests.factories import ExpediteRequestFactory, SlotFactory

from .conftest import axe_violations
from .test_officer_review import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shanghai_work(shanghai_policy):
    post = shanghai_policy.post
    SlotFactory(post=post, hour=10)
    return ExpediteRequestFactory(post=post, number=3, full_name="Li Wei", residence_region="CN-SH",
                                  interview_at=dt.datetime(2027, 1, 5, 9, 30, tzinfo=post.tz))


def test_axe_finds_no_violations_on_the_dashboard(browser, live_server, settings, officer_shanghai, shanghai_work):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800}, bypass_csp=True)
    page = context.new_page()
    admin = f"{live_server.url}/{settings.ADMIN_URL}"
    log_in(page, admin, officer_shanghai.username)
    assert page.locator("#figure-requests").is_visible()
    assert axe_violations(page) == []
    context.close()


def test_every_figure_shows_its_chart_and_table_without_javascript(browser, live_server, settings,
                                                                    officer_shanghai, shanghai_work):
    context = browser.new_context(locale="en-US", java_script_enabled=False)
    page = context.new_page()
    admin = f"{live_server.url}/{settings.ADMIN_URL}"
    log_in(page, admin, officer_shanghai.username)
    figures = page.locator("section[id^=figure-]")
    assert figures.count() >= 4
    for n in range(figures.count()):
        figure = figures.nth(n)
        assert figure.locator("table").count() == 1, figure.get_attribute("id")
        assert figure.is_visible()
    assert page.locator("svg").count() >= 3  # the charts are drawn by the server
    context.close()
