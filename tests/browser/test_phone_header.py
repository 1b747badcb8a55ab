"""On a small phone (375 x 667) the header is compact: a form's first question shows on the first screen."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["en", "ja", "zh-hans"]
# A page and the name of its first question.
FORMS = {
    "appointments/shanghai/request/check/": "residence_region",
    "appointments/shanghai/request/": "request_type",
    "passports/status/": "number",
}
FIRST_SCREEN = 667


@pytest.fixture
def small_phone(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 375, "height": FIRST_SCREEN}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def first_question(page):
    """The name of the page's first question and where its input ends, from the top of the page."""
    return page.evaluate("""() => {
        const field = document.querySelector(
            'main form select, main form input:not([type=hidden]), main form textarea');
        return {name: field.name, bottom: field.getBoundingClientRect().bottom + window.scrollY};
    }""")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_first_question_of_a_form_shows_on_the_first_screen(small_phone, live_server, shanghai_policy, language):
    for path, name in FORMS.items():
        response = small_phone.goto(f"{live_server.url}/{language}/{path}")
        assert response.status == 200
        question = first_question(small_phone)
        assert question["name"] == name, path
        assert question["bottom"] <= FIRST_SCREEN, f"{path}: the first question ends at {question['bottom']:.0f} px"
        assert small_phone.evaluate("() => document.documentElement.scrollWidth") <= 375, path


def test_the_post_selector_keeps_its_list_and_button_on_one_row(small_phone, live_server, shanghai_policy):
    small_phone.goto(f"{live_server.url}/en/")
    select = small_phone.locator(".portal-post-selector__select").bounding_box()
    button = small_phone.locator(".portal-post-selector__button").bounding_box()
    assert abs(select["y"] - button["y"]) < 8
    assert button["x"] >= select["x"] + select["width"]
    assert button["x"] + button["width"] <= 375
    # The tagline is left to wider screens.
    assert not small_phone.locator(".portal-logo__tagline").is_visible()
