"""The applicant's page: only through the signed link, and it shows the decision once made."""

import pytest
from django.core import signing

from appointments import booking
from appointments.access import SALT, request_path, request_token
from appointments.models import RefusalReason
from consular_portal.references import reference_generate, reference_is_valid

from .conftest import make_request, make_slot

pytestmark = pytest.mark.django_db


def test_a_wrong_token_shows_nothing(client, tokyo_policy):
    request = make_request(tokyo_policy.post)
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
    approved, refused = make_request(post, number=1), make_request(post, number=2)
    before = client.get(request_path(approved)).content.decode()
    assert "Submitted." in before and "Approved." not in before
    slot = make_slot(post)
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
    request = make_request(tokyo_policy.post, number=42)
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
