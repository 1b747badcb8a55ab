"""The officer's queue and review page as a browser shows them: fitting 1280 px, the post's time, the decision's
fields following the chosen decision, under the strict CSP."""

import datetime as dt

import pytest

from tests.factories import PASSWORD, ExpediteRequestFactory, SlotFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, admin, username):
    page.goto(admin)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(admin)


def csp_or_static_problems(page):
    """The admin has no favicon (a 404 Django answers for every admin page): that one is not ours to judge."""
    return [item for item in page.problems.items if "Content Security Policy" in item or "/static/" in item]


@pytest.fixture
def officer_page(browser, live_server, settings, officer_shanghai, shanghai_policy, watch):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.problems = watch(page)
    page.admin = f"{live_server.url}/{settings.ADMIN_URL}"
    log_in(page, page.admin, officer_shanghai.username)
    yield page
    context.close()


@pytest.fixture
def shanghai_request(shanghai_policy):
    post = shanghai_policy.post
    SlotFactory(post=post, hour=10)
    return ExpediteRequestFactory(post=post, number=7, full_name="Wang Fang", residence_region="CN-SH",
                                  interview_at=dt.datetime(2027, 1, 5, 9, 30, tzinfo=post.tz))


def test_the_queue_fits_1280_px_with_promised_date_and_overdue(officer_page, shanghai_request):
    page = officer_page
    page.goto(page.admin + "appointments/expediterequest/")
    # In view: inside the results' scrolling box as it stands, not only inside the window.
    shown = page.locator("#changelist .results").bounding_box()
    for column in ("promised_by", "overdue"):
        box = page.locator(f"th.column-{column}").bounding_box()
        assert box["x"] + box["width"] <= min(1280, shown["x"] + shown["width"]), column
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.locator("td.field-status_label").inner_text() == "Submitted"
    assert page.locator("th.column-post").count() == 0
    assert csp_or_static_problems(page) == []


def test_the_review_page_reads_in_post_time_and_names_and_follows_the_decision(officer_page, shanghai_request):
    page = officer_page
    page.goto(page.admin + f"appointments/expediterequest/{shanghai_request.pk}/change/")
    facts = page.locator("#review-facts")
    assert "2027-01-05 09:30 (Asia/Shanghai)" in facts.inner_text()
    assert facts.locator("#fact-language_name dd").inner_text() == "English"
    assert facts.locator("#fact-region dd").inner_text() == "Shanghai"
    # The decision sits beside the facts, not below a page of details.
    decision = page.locator("#decision-form").bounding_box()
    assert decision["y"] < 800
    # No decision chosen: no decision's fields; each decision shows only its own.
    slot, reason, note = (page.locator(f"#decision-field-{name}") for name in ("slot", "refusal_reason", "note"))
    assert not slot.is_visible() and not reason.is_visible() and not note.is_visible()
    page.get_by_label("Approve and book the slot").check()
    assert slot.is_visible() and not reason.is_visible() and not note.is_visible()
    assert "(Asia/Shanghai)" in slot.locator("select").inner_text()
    page.get_by_label("Refuse").check()
    assert not slot.is_visible() and reason.is_visible() and note.is_visible()
    # Each radio's label stays on one line.
    heights = page.locator(".decision-action").evaluate_all("rows => rows.map(r => r.getBoundingClientRect().height)")
    assert max(heights) < 2 * min(heights)
    assert csp_or_static_problems(page) == []


def test_without_javascript_every_decision_field_shows_with_its_hint(browser, live_server, settings,
                                                                     officer_shanghai, shanghai_request):
    context = browser.new_context(locale="en-US", java_script_enabled=False)
    page = context.new_page()
    admin = f"{live_server.url}/{settings.ADMIN_URL}"
    log_in(page, admin, officer_shanghai.username)
    page.goto(admin + f"appointments/expediterequest/{shanghai_request.pk}/change/")
    for name in ("slot", "refusal_reason", "note"):
        assert page.locator(f"#decision-field-{name}").is_visible()
    assert "Only for: Refuse." in page.locator("#decision-field-refusal_reason").inner_text()
    context.close()
