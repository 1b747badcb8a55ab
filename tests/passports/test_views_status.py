import pytest
from django.test import override_settings
from django.utils import translation

from passports.models import PassportTracking
from passports.statuses import TEXT

pytestmark = pytest.mark.django_db
Status = PassportTracking.Status
URL = "/{language}/passports/status/"


def lookup(client, number, language="en", **headers):
    return client.get(URL.format(language=language), {"number": number}, headers=headers)


@pytest.mark.parametrize("status", list(Status))
def test_each_status_shows_its_meaning_and_advice_in_english(client, make_tracking, status):
    make_tracking("TK1234567", status=status, letter_pack_number="123456789012")
    html = lookup(client, "tk1234567").content.decode()
    assert f'data-status="{status.value}"' in html
    with translation.override("en"):
        assert str(status.label) in html
        assert str(TEXT[status].meaning).replace("’", "&#x27;")[:60] in html.replace("’", "&#x27;")
        assert str(TEXT[status].advice)[:60] in html


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
@pytest.mark.parametrize("status", list(Status))
def test_each_status_renders_in_japanese_and_chinese(client, make_tracking, status, language):
    make_tracking("TK1234567", status=status)
    response = lookup(client, "TK1234567", language=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html and f'data-status="{status.value}"' in html
    with translation.override(language):
        assert str(TEXT[status].meaning)[:20] in html


def test_an_unknown_number_gets_no_status_update_and_advice(client, db):
    html = lookup(client, "ZZ0000000").content.decode()
    assert 'data-status="no_update"' in html
    assert "There is no status update available for the passport" in html
    assert "Sapporo, Fukuoka, or Naha, or by mail to Osaka" in html
    assert "Last changed" not in html


def result(response):
    html = response.content.decode()
    return html[html.index('id="passport-status"'):html.index("</section>", html.index('id="passport-status"'))]


def test_every_unknown_number_gets_the_same_answer(client, db):
    assert result(lookup(client, "QQ7654321")) == result(lookup(client, "RR7654321"))


def test_the_page_shows_the_masked_number_and_nothing_about_the_person(client, make_tracking):
    make_tracking("TK1234567", status=Status.OUT_FOR_DELIVERY, letter_pack_number="123456789012", case="APPT-99")
    html = lookup(client, "TK1234567").content.decode()
    result = html.split('id="passport-status"')[1]
    assert "••••4567" in result and "TK1234567" not in result and "APPT-99" not in html
    assert ('href="https://trackings.post.japanpost.jp/services/srv/search/?requestNo1=123456789012&amp;locale=en"'
            in result)


def test_a_returned_passport_shows_the_posts_call_center(client, make_tracking, tokyo):
    make_tracking("TK1234567", status=Status.RETURNED)
    html = lookup(client, "TK1234567").content.decode()
    for phone in tokyo.phone_numbers:
        assert phone["number"] in html


def test_a_lookup_is_one_sql_query(client, make_tracking, django_assert_num_queries):
    make_tracking("TK1234567", status=Status.DELIVERED)
    lookup(client, "TK1234567")  # the layout's cached parts are rendered once per language
    with django_assert_num_queries(1):
        assert 'data-status="delivered"' in lookup(client, "TK1234567").content.decode()
    with django_assert_num_queries(1):
        assert 'data-status="no_update"' in lookup(client, "TK7654321").content.decode()


def test_not_a_passport_number_is_an_error_on_the_form_not_a_500(client, db):
    response = lookup(client, "not a number!")
    assert response.status_code == 400
    assert "5 to 20 letters and digits" in response.content.decode()
    assert lookup(client, "\x00").status_code == 400
    assert client.get(URL.format(language="en"), {"number": ["A", "B"]}).status_code in (200, 400)


def test_the_empty_page_shows_the_form(client, db):
    html = client.get(URL.format(language="en")).content.decode()
    assert 'id="passport-lookup"' in html and 'method="get"' in html.lower()
    assert 'id="passport-status"' not in html


@override_settings(PASSPORT_LOOKUP_RATE_LIMIT="3/10m")
def test_past_the_limit_a_429_in_the_applicants_language_with_retry_after(client, make_tracking):
    make_tracking("TK1234567")
    for _ in range(3):
        assert lookup(client, "TK1234567").status_code == 200
    response = lookup(client, "TK1234567", language="ja")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    html = response.content.decode()
    assert 'lang="ja"' in html and 'id="passport-status"' not in html


@override_settings(PASSPORT_LOOKUP_RATE_LIMIT="1/10m")
def test_the_limit_is_per_client(client, make_tracking):
    make_tracking("TK1234567")
    assert client.get("/en/passports/status/", {"number": "TK1234567"}, REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.get("/en/passports/status/", {"number": "TK1234567"}, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/en/passports/status/", {"number": "TK1234567"}, REMOTE_ADDR="192.0.2.2").status_code == 200


def test_the_statuses_page_explains_every_status(client, db):
    html = client.get("/en/passports/statuses/").content.decode()
    for status in Status:
        assert f'id="status-{status.value}"' in html
        with translation.override("en"):
            assert str(status.label) in html
    assert "Sapporo, Fukuoka, or Naha" in html


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_the_statuses_page_renders_in_japanese_and_chinese(client, db, language):
    response = client.get(f"/{language}/passports/statuses/")
    assert response.status_code == 200 and f'lang="{language}"' in response.content.decode()


def test_the_home_page_links_the_lookup_and_the_statuses(client, posts):
    html = client.get("/en/").content.decode()
    assert 'href="/en/passports/status/"' in html and 'href="/en/passports/statuses/"' in html


def test_a_lookup_never_logs_the_passport_number(client, make_tracking, caplog):
    make_tracking("TK1234567", status=Status.RETURNED)
    with caplog.at_level("DEBUG"):
        lookup(client, "TK1234567")
        lookup(client, "bad number!")
    assert "TK1234567" not in caplog.text and "1234567" not in caplog.text


def test_the_last_change_is_shown_in_the_posts_time_zone_and_an_unknown_number_has_none(client, make_tracking):
    import datetime as dt

    make_tracking("TK1234567", status=Status.PROCESSING,
                  status_changed_at=dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC))
    html = lookup(client, "TK1234567").content.decode()
    assert '<time datetime="2026-11-30T10:00:00+09:00">' in html  # Tokyo
    assert "10:00" in html.split('<p id="status-changed">', 1)[1].split("</p>", 1)[0]
    unknown = lookup(client, "ZZ99999999").content.decode()
    assert 'id="status-changed"' not in unknown and "2000" not in unknown.split('id="passport-status"', 1)[1]
