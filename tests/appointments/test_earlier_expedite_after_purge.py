"""An approved expedite counts against the same applicant or organisation after its request is purged: the purge
keeps keyed hashes of what the rule compares, and nothing readable."""

import datetime as dt

import pytest
from django.conf import settings
from django.forms.models import model_to_dict

from appointments import booking
from appointments.models import EarlierExpedite, ExpediteRequest, RefusalReason
from consular_portal import retention
from tests.factories import ExpediteRequestFactory, SlotFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def purge_after_appointment(slot, django_capture_on_commit_callbacks):
    """The expedite purge run on the day the approved request's period has passed."""
    days = settings.RETENTION_DAYS["expedite_requests"]
    with django_capture_on_commit_callbacks(execute=True):
        return retention.purge("expedite_requests", now=slot.starts_at + days * DAY)


def test_an_applicant_approved_purged_and_applying_again_is_still_flagged(
        shanghai_policy, tokyo_policy, officer_shanghai, django_capture_on_commit_callbacks):
    slot = SlotFactory(post=shanghai_policy.post)
    first = ExpediteRequestFactory(post=shanghai_policy.post, full_name="Wang Fang", passport_number="E12345678")
    booking.request_approve(request=first, officer=officer_shanghai, slot=slot)

    assert purge_after_appointment(slot, django_capture_on_commit_callbacks) == 1
    assert not ExpediteRequest.objects.exists()

    again = ExpediteRequestFactory(post=tokyo_policy.post, full_name="Wang Fang", passport_number="E12345678")
    assert again.previous_expedite_flag

    kept = EarlierExpedite.objects.get()
    assert kept.post == shanghai_policy.post and kept.approved_on == shanghai_policy.post.local_today()
    text = " ".join(str(value) for value in model_to_dict(kept).values()).casefold()
    assert "12345678" not in text and "wang" not in text and "fang" not in text


def test_an_organisation_approved_and_purged_still_counts_against_its_next_request(
        shanghai_policy, officer_shanghai, django_capture_on_commit_callbacks):
    slot = SlotFactory(post=shanghai_policy.post)
    first = ExpediteRequestFactory(post=shanghai_policy.post, organisation="Acme Trading Co.",
                                   organiser_email="Travel@Acme.example.com")
    booking.request_approve(request=first, officer=officer_shanghai, slot=slot)
    purge_after_appointment(slot, django_capture_on_commit_callbacks)

    same_organisation = ExpediteRequestFactory(post=shanghai_policy.post, organisation="ACME  trading co.")
    same_organiser = ExpediteRequestFactory(post=shanghai_policy.post, organiser_email="travel@acme.example.com")
    someone_else = ExpediteRequestFactory(post=shanghai_policy.post, organisation="Other Trading Co.")

    assert same_organisation.previous_expedite_flag and same_organiser.previous_expedite_flag
    assert not someone_else.previous_expedite_flag
    kept = " ".join(str(value) for value in model_to_dict(EarlierExpedite.objects.get()).values()).casefold()
    assert "acme" not in kept


def test_a_refused_request_purged_leaves_nothing_that_counts(shanghai_policy, officer_shanghai,
                                                             django_capture_on_commit_callbacks):
    refused = ExpediteRequestFactory(post=shanghai_policy.post, passport_number="E12345678")
    booking.request_refuse(request=refused, officer=officer_shanghai, reason=RefusalReason.NOT_URGENT)
    ExpediteRequest.objects.filter(pk=refused.pk).update(
        updated_at=refused.updated_at - settings.RETENTION_DAYS["expedite_requests"] * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.purge("expedite_requests") == 1

    assert not EarlierExpedite.objects.exists()
    assert not ExpediteRequestFactory(post=shanghai_policy.post, passport_number="E12345678").previous_expedite_flag


def test_the_kept_hashes_depend_on_their_key(settings, shanghai_policy, officer_shanghai,
                                             django_capture_on_commit_callbacks):
    """Without the key a passport number cannot be tested against a kept row; a new key forgets them."""
    slot = SlotFactory(post=shanghai_policy.post)
    booking.request_approve(request=ExpediteRequestFactory(post=shanghai_policy.post, passport_number="E12345678"),
                            officer=officer_shanghai, slot=slot)
    purge_after_appointment(slot, django_capture_on_commit_callbacks)

    settings.EARLIER_EXPEDITE_HASH_KEY = "another key"
    assert not ExpediteRequestFactory(post=shanghai_policy.post, passport_number="E12345678").previous_expedite_flag
