"""A status inquiry in Chromium on the real services: an early applicant is told the exact date; an eligible
one sends the form, the Celery worker mails the acknowledgement and the officers' notification to the SMTP peer;
an officer answers in the admin, and the answer arrives by email and shows on the applicant's page."""

import pytest
from django.conf import settings
from django.utils import formats, translation

from consular_portal.business_calendar import add_business_days
from consular_portal.models import Post
from inquiries.inquiry_policy_data import seed_inquiry_policies
from inquiries.models import Inquiry, InquiryPolicy, InquiryRoute
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.services]

APPLICANT = "hanako.suzuki@example.com"
ANSWER = "Your application is in administrative processing; we will contact you when it is complete."


@pytest.fixture
def policies(posts):
    """Transactional tests empty the tables: the posts' policies are seeded again."""
    seed_inquiry_policies(Post, InquiryPolicy, InquiryRoute)


def plain(message):
    return message.get_body(("plain",)).get_content()


def check(page, start):
    page.locator("#id_post").select_option("tokyo")
    page.locator("label[for=id_route_0]").click()  # I attended a visa interview (USWDS draws its own radio)
    page.locator("#id_route_start").fill(start.isoformat())
    page.get_by_role("button", name="Check").click()
    page.wait_for_selector("#check-result")
    return page.locator("#check-result").inner_text()


def test_an_inquiry_from_the_check_to_the_officers_answer(page, live_server, celery_worker, mailbox, policies,
                                                           tokyo, officer_tokyo):
    today = tokyo.local_today()
    page.goto(f"{live_server.url}/en/inquiries/")
    first = add_business_days(tokyo, today, 10)
    with translation.override("en"):
        first_shown = formats.date_format(first, "DATE_FORMAT")
    result = check(page, today)
    assert f"You can inquire on or after {first_shown}" in result
    assert "10 business days have passed since the interview day" in result
    assert page.locator("#continue").count() == 0

    result = check(page, add_business_days(tokyo, today, -12))
    assert "You can inquire now" in result
    page.locator("#continue").click()
    page.wait_for_selector("#inquiry-form")
    page.locator("label[for=id_visa_category_0]").click()  # non-immigrant visa
    page.locator("#id_case_number").fill("AA00 9K8J7H")
    page.locator("#id_interview_office").fill("U.S. Embassy Tokyo")
    page.locator("#id_full_name").fill("Hanako Suzuki")
    page.locator("#id_date_of_birth").fill("1990-04-01")
    page.locator("#id_passport_number").fill("TK1234567")
    page.locator("label[for=id_on_behalf_1]").click()  # no
    page.locator("label[for=id_first_inquiry_0]").click()  # yes
    page.locator("#id_question").fill("Is my visa ready? https://evil.example/pay")
    page.locator("#id_email").fill(APPLICANT)
    page.get_by_role("button", name="Send the inquiry").click()
    page.wait_for_selector("#submitted")
    inquiry = Inquiry.objects.get()
    assert inquiry.status == "open" and inquiry.reference in page.locator("#submitted").inner_text()

    [acknowledgement] = mailbox.wait_for(1, to=APPLICANT)
    [notification] = mailbox.wait_for(1, to=tokyo.officer_mailbox)
    [to_officer] = mailbox.wait_for(1, to=officer_tokyo.email)
    assert inquiry.reference in acknowledgement["Subject"] and inquiry.reference in notification["Subject"]
    assert f"{inquiry.promised_by:%Y-%m-%d}" in plain(acknowledgement)
    assert "evil.example" not in plain(acknowledgement) and "Hanako" not in plain(acknowledgement)
    assert "evil.example" in plain(notification) and inquiry.reference in plain(to_officer)
    link = next(line for line in plain(acknowledgement).splitlines() if "/inquiries/" in line).strip()

    admin = f"{live_server.url}/{settings.ADMIN_URL}"
    page.goto(admin)
    page.fill("#id_username", officer_tokyo.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(admin)
    page.goto(f"{admin}inquiries/inquiry/")
    page.get_by_role("link", name=inquiry.reference).click()
    page.wait_for_selector("#decision-form")
    page.locator("#decision-form textarea[name=note]").fill(ANSWER)
    page.get_by_role("button", name="Send the answer").click()
    page.wait_for_selector(".messagelist")
    assert "Decision recorded" in page.locator(".messagelist").inner_text()

    answer = mailbox.wait_for(2, to=APPLICANT)[1]
    assert inquiry.reference in answer["Subject"] and ANSWER in plain(answer)
    assert "evil.example" not in plain(answer)
    inquiry.refresh_from_db()
    assert inquiry.status == "answered" and inquiry.decided_by == officer_tokyo

    page.goto(link.replace(settings.SITE_URL, live_server.url))
    assert ANSWER in page.locator("#answer").inner_text()
    assert "evil.example" not in page.content()
