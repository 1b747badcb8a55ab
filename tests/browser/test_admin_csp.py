"""The back office runs under the strict Content-Security-Policy without a single violation."""

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_pages_raise_no_csp_violations(page, live_server, posts, settings):
    User.objects.create_superuser("chief", "chief@example.com", "a-long-test-password")
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text
            else None)
    admin = f"{live_server.url}/{settings.ADMIN_URL}"

    page.goto(admin)
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url(admin)
    for path in ["", "consular_portal/post/", f"consular_portal/post/{posts['tokyo'].pk}/change/",
                 "consular_portal/outboundemail/", "auth/user/add/"]:
        response = page.goto(admin + path)
        assert response.status == 200, path
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
    page.wait_for_timeout(300)
    assert violations == []

    # The detector works: an inline script is refused and reported.
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }")
    page.wait_for_timeout(300)
    assert any("inline script" in text for text in violations)
