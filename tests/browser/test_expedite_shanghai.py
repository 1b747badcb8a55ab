"""An applicant fills the Shanghai expedite form in Chromium; the worker mails the applicant and the officers."""

import datetime as dt

import pytest

from appointments.models import ExpediteRequest
from tests.appointments.conftest import local_today, pdf_bytes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.services]


@pytest.fixture
def shanghai_policy(posts):
    from appointments.models import ExpediteCategory, ExpediteExclusion, ExpeditePolicy
    from appointments.policy_data import seed_policies
    from consular_portal.models import Post

    seed_policies(Post, ExpeditePolicy, ExpediteCategory, ExpediteExclusion)
    return ExpeditePolicy.objects.select_related("post").get(post__slug="shanghai")


def tick(page, label):
    """USWDS draws its own boxes and hides the inputs: a person clicks the label."""
    page.locator(f'label:text-is("{label}")').click()


def test_a_person_sends_a_shanghai_request_and_both_emails_arrive(page, live_server, celery_worker, mailbox,
                                                                  shanghai_policy, tmp_path):
    today = local_today(shanghai_policy.post)
    proof = tmp_path / "i20.pdf"
    proof.write_bytes(pdf_bytes(1))

    page.goto(f"{live_server.url}/en/appointments/shanghai/")
    page.get_by_role("link", name="Request an expedited appointment").click()
    tick(page, "One applicant")
    tick(page, "Students (F, M, J visas)")
    page.get_by_label("Intended travel date").fill((today + dt.timedelta(days=20)).isoformat())
    page.get_by_label("Start date of your programme or classes").fill((today + dt.timedelta(days=25)).isoformat())
    page.get_by_label("Detailed justification").fill("My classes start before my interview date.")
    page.locator("#id_full_name").fill("Li Wei")
    page.locator("#id_date_of_birth").fill("2002-04-05")
    page.get_by_label("Passport number").fill("E12345678")
    page.get_by_label("Visa class", exact=True).select_option("F1")
    page.locator("#id_ds160_number").fill("AA00ABC123")
    page.get_by_label("Phone", exact=True).fill("+86 21 3881 4611")
    page.get_by_label("Email", exact=True).fill("li.wei@example.com")
    page.get_by_label("Date of your current interview").fill((today + dt.timedelta(days=60)).isoformat())
    page.get_by_label("Time of your current interview").fill("09:30")
    page.get_by_label("Appointment number").fill("SH-20240001")
    tick(page, "No previous US visa application")
    page.get_by_label("Province or region where you live").select_option("CN-JS")
    tick(page, "I have lived in this province or region for the past 6 months.")
    page.get_by_label("Places of residence in the past 6 months").fill("Nanjing, since 2020")
    page.get_by_label("Places of work in the past 6 months").fill("Nanjing University, since 2020")
    page.locator("label[for=id_renewal_eligible_0]").click()
    page.locator("label[for=id_previous_expedite_declared_0]").click()
    page.locator("#id_proof").set_input_files(str(proof))
    tick(page, "English")
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
