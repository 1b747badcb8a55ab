"""The site pages in Chromium: WCAG 2.1 AA by axe-core, 375 px without sideways scrolling, no JavaScript."""

import pytest

from consular_portal.access import make_token
from consular_portal.models import FraudReport, Post
from consular_portal.views import FRAUD_RECEIVED_SALT

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["en", "ja", "zh-hans"]
PAGES = ["", "contact/", "contact/?post=tokyo", "contact/?post=shanghai", "feedback/", "feedback/thanks/", "fraud/",
         "fraud/received/{token}/"]
FORMS = {"feedback/": "#survey-form", "fraud/": "#fraud-form"}


def page_url(live_server, language, path):
    report, _ = FraudReport.objects.get_or_create(reference="FR-7K2Q-9PMX", defaults={
        "post": Post.objects.get(slug="tokyo"), "kind": FraudReport.Kind.OTHER, "description": "A fee.",
        "language": language})
    token = make_token(report, salt=FRAUD_RECEIVED_SALT)
    return f"{live_server.url}/{language}/{path.format(token=token)}"


def show_errors(page, form):
    """Send the form empty, as a person who pressed the button too early."""
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("#error-summary")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_wcag_violations(axe_page, live_server, posts, language, path):
    response = axe_page.goto(page_url(live_server, language, path))
    assert response.status == 200
    assert axe_violations(axe_page) == []
    if path in FORMS:
        show_errors(axe_page, FORMS[path])
        assert axe_violations(axe_page) == []


def test_axe_with_the_banner_opened(axe_page, live_server, posts):
    axe_page.goto(f"{live_server.url}/en/")
    axe_page.click(".portal-banner__summary")
    assert axe_page.is_visible("text=Official websites use .gov")
    assert axe_violations(axe_page) == []


def scrolls_sideways(page):
    return page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth")


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_scrolls_sideways_at_375px_and_nothing_breaks(phone_page, live_server, posts, watch, language):
    problems = watch(phone_page)
    for path in PAGES:
        response = phone_page.goto(page_url(live_server, language, path))
        assert response.status == 200
        assert not scrolls_sideways(phone_page), path
        if path in FORMS:
            show_errors(phone_page, FORMS[path])
            assert not scrolls_sideways(phone_page), f"{path} with errors"
            # The script moved the focus to the error summary.
            assert phone_page.evaluate("() => document.activeElement.id") == "error-summary"
    phone_page.wait_for_timeout(200)
    assert problems.items == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_works_without_javascript(no_js_page, live_server, posts, language):
    for path in PAGES:
        response = no_js_page.goto(page_url(live_server, language, path))
        assert response.status == 200
        assert no_js_page.locator("h1").first.inner_text().strip()
    # The banner's explanation opens without a script.
    no_js_page.click(".portal-banner__summary")
    assert no_js_page.is_visible(".portal-banner__content")


def test_language_switcher_and_post_selector_work_without_javascript(no_js_page, live_server, posts):
    page = no_js_page
    page.goto(f"{live_server.url}/en/contact/?post=naha")
    page.click("button[lang=ja]")
    page.wait_for_url(f"{live_server.url}/ja/contact/?post=naha")
    assert "在沖縄米国総領事館" in page.locator("h1").inner_text()
    page.select_option("#header-post", "fukuoka")
    page.click(".portal-post-selector__button")
    page.wait_for_url(f"{live_server.url}/ja/contact/")
    assert "在福岡米国領事館" in page.locator("h1").inner_text()
    page.click("button[lang=zh-hans]")
    page.wait_for_url(f"{live_server.url}/zh-hans/contact/")
    assert "美国驻福冈领事馆" in page.locator("h1").inner_text()


def test_keyboard_reaches_the_skip_link_first(browser, live_server, posts):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/en/feedback/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"
    context.close()


def test_the_detectors_see_what_they_look_for(axe_page, live_server, posts):
    """axe-core and the sideways-scroll check do fail on a broken page."""
    axe_page.set_viewport_size({"width": 375, "height": 740})
    axe_page.goto(f"{live_server.url}/en/feedback/")
    axe_page.evaluate("""() => {
        const img = document.createElement('img'); img.src = '/static/css/portal.css'; document.body.append(img);
        const wide = document.createElement('div'); wide.textContent = 'x'; wide.style.width = '600px';
        document.querySelector('main').append(wide);
    }""")
    assert any(v.startswith("image-alt") for v in axe_violations(axe_page))
    assert scrolls_sideways(axe_page)
