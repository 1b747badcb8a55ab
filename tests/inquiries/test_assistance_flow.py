"""A live-assistance request from the public form to the officer's answer, on the real services: the web
requests commit, the Celery worker process sends, the SMTP peer receives the estimate and then the answer."""

import pytest
from django.conf import settings
from django.urls import reverse

from inquiries.models import LiveAssistanceRequest
from tests.form_data import assistance_form_data

pytestmark = pytest.mark.django_db(transaction=True)


def plain(message):
    return message.get_body(("plain",)).get_content()


def test_the_applicant_receives_the_estimate_then_the_officers_answer(client, celery_worker, mailbox, tokyo,
                                                                      officer_tokyo):
    response = client.post(f"/en/assistance/{tokyo.slug}/", assistance_form_data(
        email="hanako.sato@example.com", language="ja", details="Call me back: https://evil.example/pay"))
    assert response.status_code == 302
    request = LiveAssistanceRequest.objects.get()

    [acknowledgement] = mailbox.wait_for(1, to="hanako.sato@example.com")
    [notification] = mailbox.wait_for(1, to=tokyo.officer_mailbox)
    assert request.reference in acknowledgement["Subject"] and request.reference in notification["Subject"]
    # In Japanese, with the estimated date; nothing typed in it, and the typed text only in the officers' mail.
    assert f"{request.promised_by:%Y-%m-%d}" in plain(acknowledgement)
    assert "evil.example" not in plain(acknowledgement) and "evil.example" in plain(notification)
    link = next(line for line in plain(acknowledgement).splitlines() if "/assistance/requests/" in line).strip()
    assert client.get(link.removeprefix(settings.SITE_URL)).status_code == 200

    client.force_login(officer_tokyo)
    answered = client.post(reverse("admin:inquiries_liveassistancerequest_decide", args=[request.pk]),
                           {"action": "answer", "note": "Your residence card was mailed again on 2 December."})
    assert answered.status_code == 302

    answer = mailbox.wait_for(2, to="hanako.sato@example.com")[1]
    assert request.reference in answer["Subject"]
    assert "Your residence card was mailed again on 2 December." in plain(answer)
    assert "evil.example" not in plain(answer)
    request.refresh_from_db()
    assert request.status == "done"
    client.logout()
    page = client.get(link.removeprefix(settings.SITE_URL)).content.decode()
    assert "Your residence card was mailed again on 2 December." in page
