"""An applicant fills the Shanghai expedite form in Chromium; the worker mails the applicant and the officers."""

import pytest

from appointments.models import ExpediteRequest
from tests.browser.expedite_form import answer_first_step, fill_shanghai

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.services]


@pytest.fixture
def shanghai_policy(posts):
    from appointments.models import ExpediteCategory, ExpediteExclusion, ExpeditePolicy
    from appointments.policy_data import seed_policies
    from consular_portal.models import Post

    seed_policies(Post, ExpeditePolicy, ExpediteCategory, ExpediteExclusion)
    return ExpeditePolicy.objects.select_related("post").get(post__slug="shanghai")


def test_a_person_sends_a_shanghai_request_and_both_emails_arrive(page, live_server, celery_worker, mailbox,
                                                                  shanghai_policy, tmp_path):
    page.goto(f"{live_server.url}/en/appointments/shanghai/")
    page.get_by_role("link", name="Request an expedited appointment").click()
    answer_first_step(page)
    fill_shanghai(page, shanghai_policy, tmp_path=tmp_path, carried=True)
    page.get_by_role("button", name="Send the request").click()

    page.wait_for_selector("#submitted")
    request = ExpediteRequest.objects.get()
    assert request.reference in page.locator("#submitted").inner_text()
    assert request.documents.get().pages == 1

    [acknowledgement] = mailbox.wait_for(1, to="li.wei@example.com")
    [notification] = mailbox.wait_for(1, to=shanghai_policy.post.officer_mailbox)
    assert request.reference in acknowledgement["Subject"]
    text = acknowledgement.get_body(("plain",)).get_content()
    link = next(line for line in text.splitlines() if "/appointments/requests/" in line).strip()
    assert request.reference in notification["Subject"]
    # The signed link in the email opens the applicant's page.
    page.goto(link)
    assert request.reference in page.locator("h1").inner_text()
    assert "Submitted." in page.locator("#status").inner_text()
