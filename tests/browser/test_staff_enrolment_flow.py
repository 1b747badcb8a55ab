"""A new staff member sets up their authenticator app in Chromium, on a phone with JavaScript off, then logs in
with the one form: username, password and the app's code. Production's login (``OTP_ADMIN`` on)."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from tests import factories

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def production_login(settings):
    settings.OTP_ADMIN = True


@pytest.fixture
def phone_without_javascript(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 375, "height": 740}, is_mobile=True,
                                  has_touch=True, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def app_code(secret, steps_ahead=0):
    """What an authenticator app shows for the key typed in from the page."""
    key = secret.replace(" ", "")
    return f"{totp(b32decode(key + '=' * (-len(key) % 8)), drift=steps_ahead):06d}"


def log_in(page, admin, code):
    page.goto(f"{admin}login/?next=/{admin.split('/', 3)[3]}")
    page.fill("#id_username", "new-officer")
    page.fill("#id_password", factories.PASSWORD)
    page.fill("#id_otp_token", code)
    page.click("#login-form input[type=submit]")


def assert_fits(page):
    """Nothing wider than the phone's screen."""
    for selector in ["#content-main", "svg", "#staff-secret", "#id_otp_token"]:
        box = page.locator(selector).first.bounding_box()
        if box is not None:
            assert box["x"] >= 0 and box["x"] + box["width"] <= 375, selector


def test_a_new_officer_sets_up_the_app_and_logs_in_with_one_form(phone_without_javascript, live_server, tokyo,
                                                                 settings):
    page = phone_without_javascript
    factories.officer(tokyo, username="new-officer")
    admin = f"{live_server.url}/{settings.ADMIN_URL}"

    log_in(page, admin, "")  # no app yet: the password alone leads to setting one up
    page.wait_for_url(f"{admin}second-factor/")
    assert page.locator("h1").inner_text() == "Set up your authenticator app"
    assert page.locator(".staff-qr svg path").count() == 1  # the QR code, drawn without a script
    assert_fits(page)
    secret = page.locator("#staff-secret").inner_text()

    page.fill("#id_otp_token", "000000" if app_code(secret) != "000000" else "111111")
    page.click("#enrol-form input[type=submit]")
    assert "That is not the code your app shows now" in page.locator("#enrol-form").inner_text()
    assert page.locator("#staff-secret").inner_text() == secret  # the same key, still to confirm
    page.wait_for_timeout(1_100)  # after one wrong code the device takes the next one after a second

    page.fill("#id_otp_token", app_code(secret))
    page.click("#enrol-form input[type=submit]")
    assert page.locator("h1").inner_text() == "Your backup codes"
    codes = page.locator("#backup-codes code").all_inner_texts()
    assert len(codes) == 10
    assert "nonce=" not in page.locator("body").inner_text()  # no markup leaks as text
    page.click("text=Continue")
    page.wait_for_url(admin)
    assert "Site administration" in page.content()

    page.context.clear_cookies()
    log_in(page, admin, "")  # the password alone no longer logs in
    assert "Please enter the correct username, password and authentication code" in page.content()
    log_in(page, admin, app_code(secret, steps_ahead=1))  # the app's next code: the one confirmed is spent
    page.wait_for_url(admin)
    assert "Site administration" in page.content()

    page.context.clear_cookies()
    log_in(page, admin, codes[0])  # a backup code in the same field
    page.wait_for_url(admin)


def test_axe_finds_nothing_on_the_set_up_page_and_the_backup_codes(axe_page, live_server, tokyo, settings):
    factories.officer(tokyo, username="new-officer")
    admin = f"{live_server.url}/{settings.ADMIN_URL}"
    log_in(axe_page, admin, "")
    axe_page.wait_for_url(f"{admin}second-factor/")
    assert axe_violations(axe_page) == []
    axe_page.fill("#id_otp_token", app_code(axe_page.locator("#staff-secret").inner_text()))
    axe_page.click("#enrol-form input[type=submit]")
    axe_page.wait_for_selector("#backup-codes")
    assert axe_violations(axe_page) == []
