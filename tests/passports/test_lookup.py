import datetime as dt

import pytest
from django.utils import timezone, translation

from passports.lookup import passport_status
from passports.models import PassportTracking

pytestmark = pytest.mark.django_db
Status = PassportTracking.Status


def test_a_known_passport_gets_its_status_meaning_and_masked_number(make_tracking):
    item = make_tracking("TK1234567", status=Status.PROCESSING)
    answer = passport_status(" tk 123-4567 ")
    assert answer.status == "processing"
    assert answer.meaning.startswith("It means your passport has left the Embassy or Consulate")
    assert answer.masked_number == "••••4567"
    assert answer.changed_at == item.status_changed_at
    assert answer.letter_pack_url is None


def test_an_unknown_number_gets_no_status_update_with_the_note_on_sapporo_fukuoka_naha(db):
    answer = passport_status("ZZ0000000")
    assert answer.status == "no_update" and answer.changed_at is None
    assert "Sapporo, Fukuoka, or Naha, or by mail to Osaka" in answer.meaning
    assert answer.masked_number == "••••0000"


def test_a_number_known_only_at_another_post_gets_the_same_answer_as_an_unknown_one(make_tracking, shanghai, tokyo):
    make_tracking("SH7654321", post=shanghai, status=Status.RETURNED)
    known_elsewhere, unknown = passport_status("SH7654321", post=tokyo), passport_status("XX7654321", post=tokyo)
    assert known_elsewhere == unknown
    assert known_elsewhere.status == "no_update"


def test_out_for_delivery_links_the_letter_pack_on_japan_posts_tracking_page(make_tracking):
    make_tracking("TK1234567", status=Status.OUT_FOR_DELIVERY, letter_pack_number="123456789012")
    answer = passport_status("TK1234567")
    assert answer.letter_pack_number == "123456789012"
    assert answer.letter_pack_url == ("https://trackings.post.japanpost.jp/services/srv/search/"
                                      "?requestNo1=123456789012&locale=en")


def test_returned_gives_the_posts_phone_numbers(make_tracking, tokyo):
    make_tracking("TK1234567", status=Status.RETURNED)
    answer = passport_status("TK1234567")
    assert "Call Center for redelivery" in answer.advice
    assert ("In Japan", "050 5533 2737") in [(label, number.replace("-", " ")) for label, number in
                                             answer.phone_numbers]


def test_the_latest_case_of_a_passport_is_answered(make_tracking):
    make_tracking("TK1234567", case="A1", status=Status.DELIVERED,
                  status_changed_at=timezone.now() - dt.timedelta(days=90))
    make_tracking("TK1234567", case="A2", status=Status.AT_POST)
    assert passport_status("TK1234567").status == "at_post"


def test_a_lookup_is_one_query(make_tracking, django_assert_num_queries):
    make_tracking("TK1234567", status=Status.RETURNED)
    with django_assert_num_queries(1):
        passport_status("TK1234567")
    with django_assert_num_queries(1):
        passport_status("ZZ9999999")


def test_the_answer_is_in_the_active_language(make_tracking):
    make_tracking("TK1234567", status=Status.AT_POST)
    with translation.override("ja"):
        answer = passport_status("TK1234567")
    assert answer.status == "at_post" and answer.meaning


def test_the_number_is_stored_normalised_and_a_letter_pack_has_twelve_digits(tokyo):
    from django.core.exceptions import ValidationError

    item = PassportTracking(post=tokyo, key="ｔｋ 1234-567", letter_pack_number="1234-5678-9012")
    item.full_clean()
    assert (item.key, item.letter_pack_number) == ("TK1234567", "123456789012")
    item.letter_pack_number = "12345"
    with pytest.raises(ValidationError, match="12 digits"):
        item.full_clean()
