"""The applicant's page: only through a signed link that expires and that a new link replaces, never
stored by a browser or a shared cache, and it shows the decision once made."""

import datetime as dt
import re
import time

import pytest
from django.conf import settings
from django.core import signing
from django.urls import reverse

from appointments import booking
from appointments.links import SALT, request_path, request_token
from appointments.models import ExpediteRequest, RefusalReason, RequestEvent
from consular_portal.models import OutboundEmail
from consular_portal.references import reference_generate, reference_is_valid
from tests.factories import ExpediteRequestFactory, SlotFactory, pdf_upload
from tests.form_data import expedite_form_data
from tests.links import token_made_ago

pytestmark = pytest.mark.django_db
LINK_DAYS = settings.APPLICANT_LINK_MAX_AGE_DAYS


def path_made_ago(request, age):
    """The applicant's link as it was made ``age`` ago."""
    token = token_made_ago(request, age, salt=SALT)
    return reverse("appointments:request_detail", kwargs={"token": token})


def emailed_path(email):
    return re.search(r"http://testserver(/\S+/appointments/requests/[^/\s]+/)", email.body_text).group(1)


def assert_private(response):
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives, response["Cache-Control"]


def test_a_wrong_token_shows_nothing(client, tokyo_policy):
    request = ExpediteRequestFactory(post=tokyo_policy.post)
    token = request_token(request)
    forged = signing.dumps(request.reference, salt="another-salt")
    unknown = signing.dumps(reference_generate("EXP"), salt=SALT, compress=True)
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), forged, unknown, "x", request.reference,
                "a" * 5000):
        response = client.get(f"/en/appointments/requests/{bad}/")
        assert response.status_code == 404
        assert request.full_name not in response.content.decode()
    assert client.get(request_path(request)).status_code == 200


def test_the_page_shows_the_decision_once_made(client, tokyo_policy, officer_tokyo):
    post = tokyo_policy.post
    approved, refused = ExpediteRequestFactory(post=post, number=1), ExpediteRequestFactory(post=post, number=2)
    before = client.get(request_path(approved)).content.decode()
    assert "Submitted." in before and "Approved." not in before
    slot = SlotFactory(post=post)
    booking.request_approve(request=approved, officer=officer_tokyo, slot=slot)
    booking.request_refuse(request=refused, officer=officer_tokyo, reason=RefusalReason.NO_PROOF, note="Send the I-20.")
    after = client.get(request_path(approved)).content.decode()
    local = slot.starts_at.astimezone(post.tz)
    assert "Approved." in after and local.strftime("%Y") in after and f"{local:%-I} a.m." in after
    body = client.get(request_path(refused)).content.decode()
    assert "Not approved." in body and "The proof sent does not support the request." in body
    assert "Send the I-20." in body
    ja = client.get(request_path(refused).replace("/en/", "/ja/")).content.decode()
    assert "承認されませんでした。" in ja and "提出された証明書類は申請の裏付けになりません。" in ja


def test_the_page_masks_the_passport_number(client, tokyo_policy):
    request = ExpediteRequestFactory(post=tokyo_policy.post, number=42)
    body = client.get(request_path(request)).content.decode()
    assert request.passport_number not in body and request.passport_number[-4:] in body


def test_references_are_random_with_a_check_character():
    references = {reference_generate("EXP") for _ in range(2000)}
    assert len(references) == 2000
    for reference in list(references)[:200]:
        assert reference_is_valid(reference, "EXP") and len(reference) == 13
        assert reference_is_valid(reference.lower().replace("-", " "), "EXP")
        body = reference[4:8] + reference[9:]
        # Any single mistyped character is caught.
        for index in range(len(body)):
            for replacement in "0Z":
                if body[index] != replacement:
                    typo = body[:index] + replacement + body[index + 1:]
                    assert not reference_is_valid(f"EXP-{typo}", "EXP")


def test_a_link_older_than_its_lifetime_shows_nothing(client, tokyo_policy):
    request = ExpediteRequestFactory(post=tokyo_policy.post)
    fresh_enough = path_made_ago(request, dt.timedelta(days=LINK_DAYS) - dt.timedelta(hours=1))
    assert client.get(fresh_enough).status_code == 200
    expired = path_made_ago(request, dt.timedelta(days=LINK_DAYS, hours=1))
    response = client.get(expired)
    assert response.status_code == 404 and request.full_name not in response.content.decode()


def test_the_links_lifetime_is_a_setting(client, tokyo_policy, settings):
    request = ExpediteRequestFactory(post=tokyo_policy.post)
    link = path_made_ago(request, dt.timedelta(days=3))
    assert client.get(link).status_code == 200
    settings.APPLICANT_LINK_MAX_AGE_DAYS = 2
    assert client.get(link).status_code == 404


def test_a_new_link_replaces_the_old_one(client, tokyo_policy, officer_tokyo):
    request = ExpediteRequestFactory(post=tokyo_policy.post)
    old = request_path(request)
    assert client.get(old).status_code == 200
    OutboundEmail.objects.all().delete()
    booking.request_link_renew(request=request, actor=officer_tokyo)
    assert client.get(old).status_code == 404
    email = OutboundEmail.objects.get()
    assert email.to == request.email and email.template == "expedite_acknowledgement"
    new = emailed_path(email)
    page = client.get(new)
    assert page.status_code == 200 and request.reference in page.content.decode()
    event = RequestEvent.objects.filter(request=request).last()
    assert event.actor == officer_tokyo and "New link" in event.note
    assert ExpediteRequest.objects.get(pk=request.pk).link_version == 1


def test_a_new_link_for_a_decided_request_sends_the_decision_again(client, tokyo_policy, officer_tokyo):
    request = ExpediteRequestFactory(post=tokyo_policy.post)
    booking.request_refuse(request=request, officer=officer_tokyo, reason=RefusalReason.NO_PROOF)
    OutboundEmail.objects.all().delete()
    booking.request_link_renew(request=request, actor=officer_tokyo)
    email = OutboundEmail.objects.get()
    assert email.template == "expedite_decision" and "not approved" in email.body_text
    assert "Not approved." in client.get(emailed_path(email)).content.decode()


def test_a_tampered_link_shows_nothing(client, tokyo_policy):
    mine, other = ExpediteRequestFactory.create_batch(2, post=tokyo_policy.post)
    token = request_token(mine)
    payload, stamp, signature = token.rsplit(":", 2)
    forged_payload = request_token(other).rsplit(":", 2)[0]
    newer_version = signing.dumps(["appointments.expediterequest", mine.reference, 1], salt="x", compress=True)
    for bad in (f"{forged_payload}:{stamp}:{signature}", f"{payload}:{signing.b62_encode(int(time.time()) + 9)}:"
                f"{signature}", f"{newer_version.rsplit(':', 2)[0]}:{stamp}:{signature}"):
        response = client.get(f"/en/appointments/requests/{bad}/")
        assert response.status_code == 404
        assert mine.full_name not in response.content.decode() and other.full_name not in response.content.decode()


def test_a_link_made_before_link_versions_still_opens_the_request(client, tokyo_policy, officer_tokyo):
    request = ExpediteRequestFactory(post=tokyo_policy.post)
    legacy = signing.dumps(request.reference, salt=SALT, compress=True)
    assert client.get(f"/en/appointments/requests/{legacy}/").status_code == 200
    booking.request_link_renew(request=request, actor=officer_tokyo)
    assert client.get(f"/en/appointments/requests/{legacy}/").status_code == 404


def test_links_are_url_safe(tokyo_policy):
    request = ExpediteRequestFactory(post=tokyo_policy.post)
    assert re.fullmatch(r"[A-Za-z0-9_.:-]+", request_token(request))


def test_the_request_page_is_never_stored(client, tokyo_policy):
    request = ExpediteRequestFactory(post=tokyo_policy.post)
    response = client.get(request_path(request) + "?submitted=1")
    assert response.status_code == 200
    assert_private(response)
    assert client.post(request_path(request)).status_code == 405


def test_the_request_form_and_what_it_shows_back_are_never_stored(client, tokyo_policy):
    url = "/en/appointments/tokyo/request/"
    blank = client.get(url)
    assert blank.status_code == 200
    assert_private(blank)  # its hidden submission key belongs to this applicant only
    data = expedite_form_data(tokyo_policy, email="not-an-address")
    shown_back = client.post(url, {**data, "proof": pdf_upload()})
    assert shown_back.status_code == 400 and data["full_name"] in shown_back.content.decode()
    assert_private(shown_back)


def officer_sends_new_link(client, request):
    return client.post(reverse("admin:appointments_expediterequest_changelist"),
                       {"action": "send_new_link", "_selected_action": [request.pk], "index": 0}, follow=True)


def test_an_officer_sends_the_applicant_a_new_link_from_the_queue(client, tokyo_policy, officer_tokyo):
    request = ExpediteRequestFactory(post=tokyo_policy.post)
    old = request_path(request)
    client.force_login(officer_tokyo)
    listing = client.get(reverse("admin:appointments_expediterequest_changelist")).content.decode()
    assert "Send the applicant a new link" in listing
    OutboundEmail.objects.all().delete()
    response = officer_sends_new_link(client, request)
    assert response.status_code == 200
    assert f"A new link was emailed for {request.reference}" in response.content.decode()
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(emailed_path(OutboundEmail.objects.get(to=request.email))).status_code == 200


def test_an_officer_cannot_send_a_new_link_for_another_posts_request(client, shanghai_policy, officer_tokyo,
                                                                     passport_staff):
    request = ExpediteRequestFactory(post=shanghai_policy.post, residence_region="CN-SH")
    old = request_path(request)
    client.force_login(officer_tokyo)
    officer_sends_new_link(client, request)
    client.force_login(passport_staff)
    officer_sends_new_link(client, request)
    assert ExpediteRequest.objects.get(pk=request.pk).link_version == 0
    client.logout()
    assert client.get(old).status_code == 200


def test_the_request_page_shows_nothing_the_applicant_typed(client, tokyo_policy):
    """The link goes to whatever address was typed: the page it opens must not carry typed text either."""
    hostile = "URGENT: pay the USD 300 fee at https://evil.example"
    expedite = ExpediteRequestFactory(post=tokyo_policy.post, full_name=hostile, justification=hostile,
                                      organisation=hostile)
    body = client.get(request_path(expedite)).content.decode()
    assert expedite.reference in body and "evil.example" not in body and "URGENT" not in body
