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


@override_settings(PASSPORT_LOOKUP_RATE_LIMIT="1/10m")
def test_with_the_counter_down_the_lookup_still_answers(client, make_tracking, redis_server):
    make_tracking("TK1234567")
    redis_server.stop()
    try:
        statuses = [lookup(client, "TK1234567").status_code for _ in range(3)]
    finally:
        redis_server.start()
    assert statuses == [200, 200, 200]


@override_settings(PASSPORT_LOOKUP_RATE_LIMIT="2/10m")
def test_the_limit_counts_in_the_shared_cache_where_every_process_sees_it(client, make_tracking):
    from django.core.cache import cache

    make_tracking("TK1234567")
    assert [lookup(client, "TK1234567").status_code for _ in range(3)] == [200, 200, 429]
    cache.clear()  # the window's count lives in Redis: emptied, the client may look up again
    assert lookup(client, "TK1234567").status_code == 200


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


def rendered(form, **context):
    """The markup ``{% crispy form %}`` writes for ``form``, rendered now (not from the page's cache)."""
    from django.template.loader import render_to_string

    return render_to_string("uswds/crispy_form.html", {"form": form, **context})


def test_the_cached_forms_are_the_markup_of_the_forms_bound_to_this_lookup(make_tracking):
    """The lookup form shows the number as typed and the alert form carries this answer's signed number and
    the request's own CSRF token, exactly as rendering the forms on each request would."""
    import re

    from django.test import Client

    from passports.forms import LookupForm, SubscribeForm

    make_tracking("TK1234567", status=Status.DELIVERED)
    for typed in ("ｔｋ 123-4567", "TK1234567", "ZZ7654321"):
        client = Client(enforce_csrf_checks=True)
        lookup(client, "TK1234567")  # fills the cache
        html = lookup(client, typed).content.decode()
        bound = LookupForm({"number": typed})
        assert bound.is_valid() and rendered(bound) in html
        assert "number-typed-by-the-applicant" not in html and "signed-number-of-the-answer" not in html
        alert_form = html.split('id="passport-subscribe"', 1)[1]
        signed = re.search(r'name="number" value="([^"]+)"', alert_form)[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', alert_form)[1]
        assert rendered(SubscribeForm(initial={"number": signed}), csrf_token=token) in html
        response = client.post("/en/passports/alerts/", {"number": signed, "email": "a@example.com",
                                                         "csrfmiddlewaretoken": token})
        assert response.status_code == 302


def test_each_visitor_gets_their_own_token_in_the_cached_alert_form(make_tracking):
    import re

    from django.test import Client

    make_tracking("TK1234567")
    tokens = set()
    for _ in range(2):
        html = lookup(Client(), "TK1234567").content.decode()
        alert_form = html.split('id="passport-subscribe"', 1)[1]
        tokens.add(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', alert_form)[1])
    assert len(tokens) == 2


@pytest.mark.parametrize("typed", ['<script>alert(1)</script>', '" autofocus onfocus="alert(1)', "TK1234567'><b>"])
def test_what_is_typed_is_shown_back_escaped(client, make_tracking, typed):
    make_tracking("TK1234567")
    lookup(client, "TK1234567")
    html = lookup(client, typed).content.decode()
    assert typed not in html and "<script>alert" not in html and "onfocus=\"alert" not in html
    assert 'value="' + typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&quot;").replace("'", "&#x27;") + '"' in html


def test_a_value_written_into_a_cached_part_is_escaped_and_never_read_as_a_placeholder(db):
    from consular_portal.page_cache import cached_markup

    def build():
        return '<input value="first-place"><input value="second-place">'

    markup = cached_markup("test-fill", build=build,
                           fill={"first-place": '<script>"\'&second-place', "second-place": "x"})
    assert markup == ('<input value="&lt;script&gt;&quot;&#x27;&amp;second-place"><input value="x">')


def test_an_edit_of_the_posts_phone_numbers_shows_on_the_next_lookup(client, make_tracking, tokyo):
    make_tracking("TK1234567", status=Status.RETURNED)
    lookup(client, "TK1234567")
    tokyo.phone_numbers = [{"label": "Call centre", "number": "+81-50-5533-9999"}]
    tokyo.save()
    html = lookup(client, "TK1234567").content.decode()
    assert "+81-50-5533-9999" in html.split('id="call-center"', 1)[1]


def test_a_known_and_an_unknown_number_cost_the_same_queries_and_template_renders(client, make_tracking):
    from tests.site.test_page_cost import cost

    make_tracking("TK1234567", status=Status.NO_UPDATE)
    lookup(client, "TK1234567")
    lookup(client, "ZZ7654321")
    assert cost(lambda: lookup(client, "TK1234567")) == cost(lambda: lookup(client, "ZZ7654321")) == (200, 1, 2)


def test_a_status_saved_since_the_last_lookup_shows_on_the_next(client, make_tracking):
    """The answer's markup is cached per status; its Letter Pack number and last change are this lookup's."""
    item = make_tracking("TK1234567", status=Status.AT_POST)
    assert 'data-status="at_post"' in lookup(client, "TK1234567").content.decode()
    PassportTracking.objects.filter(pk=item.pk).update(status=Status.OUT_FOR_DELIVERY,
                                                       letter_pack_number="123456789012")
    html = lookup(client, "TK1234567").content.decode()
    assert 'data-status="out_for_delivery"' in html
    assert ">123456789012</a>" in html.split('id="letter-pack"', 1)[1]
