"""An applicant withdraws an open status inquiry from its signed page: both sides are emailed, the officers'
queue shows it withdrawn and it can no longer be answered; an answered one cannot be withdrawn."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from consular_portal.models import OutboundEmail
from inquiries.inquiry_links import inquiry_path
from inquiries.inquiry_rules import inquiry_answer
from inquiries.models import Inquiry

from .inquiry_data import QUESTION, status_inquiry

pytestmark = pytest.mark.django_db


def confirm_and_withdraw(client, page_path):
    """Open the page, follow "Withdraw this inquiry", and press the confirmation's button (no JavaScript)."""
    page = client.get(page_path).content.decode()
    assert 'href="withdraw/"' in page and "Withdraw this inquiry" in page
    confirmation = client.get(page_path + "withdraw/")
    assert confirmation.status_code == 200
    html = confirmation.content.decode()
    assert '<form method="post" id="withdraw-form">' in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return client.post(page_path + "withdraw/", {"csrfmiddlewaretoken": token})


def test_withdrawing_an_open_inquiry_stores_it_withdrawn_and_emails_both_sides(tokyo):
    inquiry = status_inquiry(tokyo)
    OutboundEmail.objects.all().delete()
    client = Client(enforce_csrf_checks=True)
    response = confirm_and_withdraw(client, inquiry_path(inquiry))
    assert response.status_code == 302 and response["Location"].endswith("?withdrawn=1")
    inquiry.refresh_from_db()
    assert inquiry.status == "withdrawn" and not inquiry.is_open
    page = client.get(response["Location"]).content.decode()
    assert 'id="withdrawn"' in page and 'href="withdraw/"' not in page

    emails = {email.template: email for email in OutboundEmail.objects.all()}
    assert set(emails) == {"inquiry_withdrawn", "inquiry_withdrawn_officers"}
    assert emails["inquiry_withdrawn"].to == "hanako@example.com"
    assert inquiry.reference in emails["inquiry_withdrawn"].body_text
    assert QUESTION not in emails["inquiry_withdrawn"].body_text
    assert emails["inquiry_withdrawn_officers"].to == tokyo.officer_mailbox
    assert inquiry.reference in emails["inquiry_withdrawn_officers"].subject

    # A second withdrawal says so and changes nothing.
    again = client.get(inquiry_path(inquiry) + "withdraw/", follow=True)
    assert again.status_code == 200 and "This inquiry is already withdrawn." in again.content.decode()
    assert Client().post(inquiry_path(inquiry) + "withdraw/").status_code == 302
    assert OutboundEmail.objects.count() == 2


def test_an_answered_inquiry_cannot_be_withdrawn(tokyo, officer_tokyo):
    inquiry = status_inquiry(tokyo)
    inquiry_answer(inquiry=inquiry, officer=officer_tokyo, text="Your case is in administrative processing.")
    OutboundEmail.objects.all().delete()
    client = Client()
    assert 'href="withdraw/"' not in client.get(inquiry_path(inquiry)).content.decode()
    response = client.post(inquiry_path(inquiry) + "withdraw/", follow=True)
    assert response.status_code == 200
    assert "can no longer be withdrawn" in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == "answered" and not OutboundEmail.objects.exists()


def test_a_withdrawn_inquiry_is_shown_withdrawn_to_officers_and_cannot_be_answered(client, tokyo, officer_tokyo):
    inquiry = status_inquiry(tokyo)
    Client().post(inquiry_path(inquiry) + "withdraw/")
    OutboundEmail.objects.all().delete()
    client.force_login(officer_tokyo)
    change_url = reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])
    change = client.get(change_url).content.decode()
    assert 'id="decision-form"' not in change and "withdrawn" in change
    open_queue = client.get(reverse("admin:inquiries_inquiry_changelist")).content.decode()
    assert inquiry.reference not in open_queue
    withdrawn_queue = client.get(reverse("admin:inquiries_inquiry_changelist") + "?queue=withdrawn")
    assert inquiry.reference in withdrawn_queue.content.decode()
    response = client.post(reverse("admin:inquiries_inquiry_decide", args=[inquiry.pk]),
                           {"action": "answer", "note": "Too late"}, follow=True)
    assert response.status_code == 200
    assert "The applicant withdrew this inquiry: it can no longer be answered." in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == "withdrawn" and inquiry.answer == "" and not OutboundEmail.objects.exists()


def test_a_bad_or_foreign_token_is_404(tokyo):
    inquiry = status_inquiry(tokyo)
    client = Client()
    assert client.get("/en/inquiries/not-a-token/withdraw/").status_code == 404
    assert client.post("/en/inquiries/not-a-token/withdraw/").status_code == 404
    # A token signed for another kind of link (the same object's id, another salt) opens nothing.
    from consular_portal.access import make_token

    foreign = make_token(inquiry, salt="appointments.request")
    assert client.post(f"/en/inquiries/{foreign}/withdraw/").status_code == 404
    assert Inquiry.objects.get(pk=inquiry.pk).status == "open"
