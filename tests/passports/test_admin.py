import re

import pytest
from django.test import Client
from django.urls import reverse

from passports.models import PassportTracking
from tests import factories

pytestmark = pytest.mark.django_db
Status = PassportTracking.Status


def change_url(item):
    return reverse("admin:passports_passporttracking_change", args=[item.pk])


def form_data(item, **fields):
    return {"delivery": item.delivery, "letter_pack_number": item.letter_pack_number, "new_status": item.status,
            "note": "", "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": str(item.events.count()),
            "events-MIN_NUM_FORMS": "0", "events-MAX_NUM_FORMS": "0", **fields}


def test_passport_staff_change_a_status_with_a_note_recorded_with_who_and_when(clerk, clerk_tokyo, make_tracking):
    item = make_tracking("TK1234567", status=Status.AT_POST)
    response = clerk.post(change_url(item), form_data(item, new_status=Status.PROCESSING, note="to the courier"))
    assert response.status_code == 302, response.content.decode()[:3000]
    item.refresh_from_db()
    assert item.status == "processing"
    event = item.events.get()
    assert (event.status, event.actor, event.note) == ("processing", clerk_tokyo, "to the courier")
    html = clerk.get(change_url(item)).content.decode()
    assert "to the courier" in html and "passport-staff-tokyo" in html


def test_saving_without_a_change_records_nothing(clerk, make_tracking):
    item = make_tracking("TK1234567", status=Status.AT_POST)
    assert clerk.post(change_url(item), form_data(item)).status_code == 302
    assert not item.events.exists()


def test_a_letter_pack_number_must_have_twelve_digits(clerk, make_tracking):
    item = make_tracking("TK1234567", status=Status.AT_POST)
    response = clerk.post(change_url(item), form_data(item, letter_pack_number="12345",
                                                      new_status=Status.OUT_FOR_DELIVERY))
    assert response.status_code == 200 and "12 digits" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "at_post" and not item.events.exists()


def test_search_finds_a_passport_or_letter_pack_number_exactly(clerk, make_tracking):
    make_tracking("TK1234567", letter_pack_number="123456789012")
    make_tracking("TK7654321")
    changelist = reverse("admin:passports_passporttracking_changelist")
    for term, found in [("tk 123-4567", True), ("1234-5678-9012", True), ("TK123", False), ("1234", False)]:
        html = clerk.get(changelist, {"q": term}).content.decode()
        assert ("TK1234567" in html) is found, term
        assert "TK7654321" not in html


def test_staff_of_one_post_see_none_of_another_posts_tracking(clerk, make_tracking, shanghai):
    theirs = make_tracking("SH7654321", post=shanghai)
    assert clerk.get(change_url(theirs)).status_code == 404
    assert clerk.post(change_url(theirs), form_data(theirs, new_status=Status.RETURNED)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "at_post"
    html = clerk.get(reverse("admin:passports_passporttracking_changelist"), {"q": "SH7654321"}).content.decode()
    assert change_url(theirs) not in html


def test_officers_cannot_open_passport_tracking_and_passport_staff_no_appointment_requests(tokyo, clerk):
    officer = Client()
    officer.force_login(factories.officer(tokyo, username="officer-tokyo"))
    assert officer.get(reverse("admin:passports_passporttracking_changelist")).status_code == 403
    assert clerk.get(reverse("admin:appointments_expediterequest_changelist")).status_code == 403


def test_the_list_filters_by_status_and_post(clerk, make_tracking):
    make_tracking("TK1234567", status=Status.RETURNED)
    make_tracking("TK7654321", status=Status.AT_POST)
    changelist = reverse("admin:passports_passporttracking_changelist")
    html = clerk.get(changelist, {"status__exact": "returned"}).content.decode()
    assert "TK1234567" in html and "TK7654321" not in html


def test_the_change_form_offers_only_the_statuses_that_may_follow(clerk, make_tracking):
    item = make_tracking("TK1234567", status=Status.OUT_FOR_DELIVERY)
    form = clerk.get(change_url(item)).context["adminform"].form
    assert [value for value, _label in form.fields["new_status"].choices] == [
        "out_for_delivery", "delivered", "returned"]


def test_a_status_that_may_not_follow_is_refused_and_recorded_nowhere(clerk, make_tracking):
    item = make_tracking("TK1234567", status=Status.OUT_FOR_DELIVERY)
    response = clerk.post(change_url(item), form_data(item, new_status=Status.AT_POST, note="typo"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "out_for_delivery" and not item.events.exists()



def test_a_status_changed_by_someone_else_after_the_form_was_checked_is_a_message_and_nothing_is_saved(
        clerk, make_tracking, monkeypatch):
    """Two officers at once: the page's form is checked against the passport as it was read, "at the post";
    another officer's "delivered" was saved after that, and "processing" may not follow it."""
    from passports.admin import PassportTrackingAdmin

    item = make_tracking("TK1234567", status=Status.AT_POST, letter_pack_number="")
    as_read = PassportTracking.objects.get(pk=item.pk)
    PassportTracking.objects.filter(pk=item.pk).update(status=Status.DELIVERED)  # the other officer's change
    get_object, reads = PassportTrackingAdmin.get_object, []

    def read_before_the_other_change(self, request, object_id, from_field=None):
        reads.append(object_id)
        return as_read if len(reads) == 1 else get_object(self, request, object_id, from_field)

    monkeypatch.setattr(PassportTrackingAdmin, "get_object", read_before_the_other_change)
    response = clerk.post(change_url(item), form_data(as_read, new_status=Status.PROCESSING, note="to the courier",
                                                      letter_pack_number="123456789012"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == change_url(item)
    html = clerk.get(response["Location"]).content.decode()
    [message] = re.findall(r'<li class="error">(.*?)</li>', html, re.S)
    assert "changed by someone else" in message and "Nothing was saved" in message
    assert "Your passport has been picked up" in message  # the status now
    item.refresh_from_db()
    assert (item.status, item.letter_pack_number) == ("delivered", "") and not item.events.exists()
