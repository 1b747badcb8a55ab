"""An in-person appointment request from the public form to the officer's decision to the applicant's inbox,
on the real services: the web requests commit, the Celery worker process sends, the SMTP peer receives."""

import pytest
from django.conf import settings
from django.urls import reverse

from appointments.models import InPersonRequest
from tests.factories import SlotFactory
from tests.form_data import in_person_form_data

pytestmark = pytest.mark.django_db(transaction=True)


def plain(message):
    return message.get_body(("plain",)).get_content()


def test_a_request_is_acknowledged_decided_by_an_officer_and_the_booked_time_reaches_the_applicant(
        client, celery_worker, mailbox, tokyo, officer_tokyo):
    response = client.post(f"/en/appointments/{tokyo.slug}/in-person/", in_person_form_data(
        tokyo, email="hanako.sato@example.com", language="ja", details="Stolen passport: https://evil.example/pay"))
    assert response.status_code == 302
    request = InPersonRequest.objects.get()

    [acknowledgement] = mailbox.wait_for(1, to="hanako.sato@example.com")
    [notification] = mailbox.wait_for(1, to=tokyo.officer_mailbox)
    assert request.reference in acknowledgement["Subject"] and request.reference in notification["Subject"]
    assert "evil.example" not in plain(acknowledgement) and "evil.example" in plain(notification)
    link = next(line for line in plain(acknowledgement).splitlines() if "/in-person/" in line).strip()
    assert client.get(link.removeprefix(settings.SITE_URL)).status_code == 200

    slot = SlotFactory(post=tokyo, capacity=3, in_days=5, hour=14)
    client.force_login(officer_tokyo)
    decided = client.post(reverse("admin:appointments_inpersonrequest_decide", args=[request.pk]),
                          {"action": "accept", "slot": slot.pk, "note": ""})
    assert decided.status_code == 302

    mailbox.wait_for(2, to="hanako.sato@example.com")
    decision = mailbox.wait_for(2, to="hanako.sato@example.com")[1]
    local = slot.starts_at.astimezone(tokyo.tz)
    assert request.reference in decision["Subject"]
    assert f"{local:%Y-%m-%d} 14:00" in plain(decision) and "Asia/Tokyo" in plain(decision)
    assert "evil.example" not in plain(decision)
    slot.refresh_from_db()
    request.refresh_from_db()
    assert slot.booked == 1 and request.status == "booked" and request.slot == slot
    # The applicant's page says the same.
    page = client.get(link.removeprefix(settings.SITE_URL)).content.decode()
    assert f"{local:%Y}" in page and "14:00" in page
