"""The public case status page: a receipt number as typed, its status explained, the online account's
explanation by prefix, a "not found" that reveals nothing, the lookup's cost and its rate limit."""

import pytest
from django.test import override_settings
from django.utils import translation

from inquiries.case_statuses import TEXT
from inquiries.models import Case, ProcessingTime

pytestmark = pytest.mark.django_db
Status = Case.Status
URL = "/{language}/cases/status/"


def lookup(client, number, language="en", **extra):
    return client.get(URL.format(language=language), {"number": number}, **extra)


def section(html, element_id):
    start = html.index(f'id="{element_id}"')
    return html[start:html.index("</section>", start)] if "<section" in html[start - 200:start] else html[start:]


@pytest.mark.parametrize("status", list(Status))
def test_each_status_shows_its_label_meaning_advice_and_when_it_changed(client, make_case, status):
    make_case("EAC2112345678", status=status)
    response = lookup(client, "eac-21-123-45678")
    html = response.content.decode()
    assert response.status_code == 200 and f'data-status="{status.value}"' in html
    with translation.override("en"):
        assert str(status.label) in html
        assert str(TEXT[status].meaning).replace("'", "&#x27;")[:50] in html
        assert str(TEXT[status].advice).replace("'", "&#x27;")[:50] in html
    assert 'id="status-changed"' in html and "<time datetime=" in html


def test_the_number_is_accepted_with_spaces_and_shown_masked(client, make_case):
    make_case("WAC2112345678", service="I-130")
    html = lookup(client, " wac 2112345678 ").content.decode()
    result = section(html, "case-status")
    assert "WAC••••5678" in result and "WAC2112345678" not in result


def test_an_ioe_case_explains_the_online_account_and_a_paper_case_how_to_add_it(client, make_case):
    make_case("IOE0912345678")
    make_case("LIN2112345678")
    online = lookup(client, "IOE0912345678").content.decode()
    assert 'data-account="online"' in online
    assert "user codes, valid for 90 days" in online and "automatic case alerts" in online
    assert "add your paper-filed case" not in online
    paper = lookup(client, "LIN2112345678").content.decode()
    assert 'data-account="paper"' in paper and "add your paper-filed case to it" in paper
    assert "user codes" not in paper


def not_found(response):
    html = response.content.decode()
    assert response.status_code == 200 and 'id="case-not-found"' in html
    assert 'id="case-status"' not in html and 'id="case-subscribe"' not in html
    return html[html.index('id="case-not-found"'):html.index("</main>") if "</main>" in html else None]


def test_an_unknown_number_gets_a_clear_not_found_that_reveals_nothing(client, make_case, shanghai):
    make_case("EAC2112345678")
    make_case("MSC2112345678", post=shanghai)
    unknown = not_found(lookup(client, "EAC2112345670"))
    assert "No case found: check the number" in unknown
    # The same answer for every unknown number: nothing in it depends on the number or on other cases.
    assert unknown == not_found(lookup(client, "IOE0000000001")) == not_found(lookup(client, "YSC9999999999"))
    assert "EAC" not in unknown and "5670" not in unknown and "Tokyo" not in unknown


def test_an_invalid_number_is_an_error_on_the_field_not_a_lookup(client, make_case):
    make_case("EAC2112345678")
    response = lookup(client, "EAC21123456")
    html = response.content.decode()
    assert response.status_code == 400 and "3 letters and 10 digits" in html
    assert 'id="case-not-found"' not in html and 'id="case-status"' not in html
    response = lookup(client, "XYZ2112345678")
    assert response.status_code == 400 and "begins with one of" in response.content.decode()
    assert lookup(client, "\x00").status_code == 400


def test_the_empty_page_is_a_get_form(client, db):
    html = client.get(URL.format(language="en")).content.decode()
    assert 'id="case-lookup"' in html and 'method="get"' in html.lower() and 'id="case-not-found"' not in html


def test_a_lookup_is_one_sql_query_with_its_processing_time_too(client, make_case, tokyo,
                                                                 django_assert_num_queries):
    make_case("EAC2112345678", status=Status.IN_REVIEW)
    lookup(client, "EAC2112345678")  # the layout's cached parts are rendered once per language
    with django_assert_num_queries(1):
        assert 'data-status="in_review"' in lookup(client, "EAC2112345678").content.decode()
    with django_assert_num_queries(1):
        assert 'id="case-not-found"' in lookup(client, "EAC2112345670").content.decode()
    with django_assert_num_queries(0):
        assert lookup(client, "EAC21").status_code == 400
    Case.objects.update(service="I-130")
    ProcessingTime.objects.create(post=tokyo, service="I-130", completed_within=6,
                                  case_inquiry_date="2026-05-01")
    with django_assert_num_queries(1):
        assert 'id="case-processing-time"' in lookup(client, "EAC2112345678").content.decode()


def test_the_page_links_to_the_processing_time_of_the_cases_service(client, make_case, tokyo):
    make_case("EAC2112345678", service="I-130")
    assert 'id="case-processing-time"' not in lookup(client, "EAC2112345678").content.decode()
    ProcessingTime.objects.create(post=tokyo, service="I-130", completed_within=7,
                                  case_inquiry_date="2026-04-15")
    html = lookup(client, "EAC2112345678").content.decode()
    figure = html.split('id="case-processing-time"')[1].split("</p>")[0]
    assert "Most I-130 cases at this post are completed within 7 months." in figure
    assert 'href="/en/processing-times/?post=tokyo&amp;service=I-130"' in figure


@override_settings(CASE_STATUS_LOOKUP_RATE_LIMIT="3/10m")
def test_past_the_limit_a_429_with_retry_after_and_no_answer(client, make_case):
    make_case("EAC2112345678")
    for _ in range(3):
        assert lookup(client, "EAC2112345678").status_code == 200
    response = lookup(client, "EAC2112345678", language="ja")
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 600
    html = response.content.decode()
    assert 'lang="ja"' in html and 'id="case-status"' not in html
    assert lookup(client, "EAC2112345678", REMOTE_ADDR="192.0.2.77").status_code == 200  # per client


@override_settings(CASE_STATUS_LOOKUP_RATE_LIMIT="2/10m")
def test_unknown_numbers_count_against_the_limit_like_known_ones(client, make_case):
    assert lookup(client, "EAC2112345670").status_code == 200
    assert lookup(client, "EAC2112345671").status_code == 200
    assert lookup(client, "EAC2112345672").status_code == 429


def test_the_page_is_never_stored_by_a_shared_cache(client, make_case):
    make_case("EAC2112345678")
    assert "no-store" in lookup(client, "EAC2112345678")["Cache-Control"]


def test_the_statuses_page_explains_every_status(client, db):
    html = client.get("/en/cases/statuses/").content.decode()
    for status in Status:
        assert f'id="status-{status.value}"' in html


def test_the_cached_forms_are_the_markup_of_the_forms_bound_to_this_lookup(make_case):
    """The lookup form shows the number as typed and the alert form carries this answer's signed number and
    the request's own CSRF token, exactly as rendering the forms on each request would."""
    import re

    from django.template.loader import render_to_string
    from django.test import Client

    from inquiries.case_forms import CaseLookupForm, CaseSubscribeForm

    make_case("EAC2112345678")
    for typed in ("eac-21-123-45678", "EAC2112345678"):
        client = Client(enforce_csrf_checks=True)
        lookup(client, "EAC2112345678")  # fills the cache
        html = lookup(client, typed).content.decode()
        bound = CaseLookupForm({"number": typed})
        assert bound.is_valid() and render_to_string("uswds/crispy_form.html", {"form": bound}) in html
        alert_form = html.split('id="case-subscribe"', 1)[1]
        signed = re.search(r'name="number" value="([^"]+)"', alert_form)[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', alert_form)[1]
        blank = CaseSubscribeForm(initial={"number": signed})
        assert render_to_string("uswds/crispy_form.html", {"form": blank, "csrf_token": token}) in html
        response = client.post("/en/cases/alerts/", {"number": signed, "email": "a@example.com",
                                                    "csrfmiddlewaretoken": token})
        assert response.status_code == 302


@pytest.mark.parametrize("typed", ['<script>alert(1)</script>', '" autofocus onfocus="alert(1)'])
def test_what_is_typed_is_shown_back_escaped(client, make_case, typed):
    make_case("EAC2112345678")
    lookup(client, "EAC2112345678")
    html = lookup(client, typed).content.decode()
    assert typed not in html and "<script>alert" not in html
    assert 'value="' + typed.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") + '"' in html


def test_a_known_and_an_unknown_number_cost_one_query_and_the_same_template_renders(client, make_case, tokyo):
    from tests.site.test_page_cost import cost

    make_case("EAC2112345678", service="I-130")
    ProcessingTime.objects.create(post=tokyo, service="I-130", completed_within=6, case_inquiry_date="2026-05-01")
    lookup(client, "EAC2112345678")
    lookup(client, "EAC2100000000")
    assert cost(lambda: lookup(client, "EAC2112345678")) == cost(lambda: lookup(client, "EAC2100000000")) == (
        200, 1, 2)


def test_an_edit_of_the_status_or_of_the_processing_time_shows_on_the_next_lookup(client, make_case, tokyo):
    """The answer's markup is cached per status; the figure and when the status changed are this lookup's."""
    case = make_case("EAC2112345678", status=Status.RECEIVED, service="I-130")
    figure = ProcessingTime.objects.create(post=tokyo, service="I-130", completed_within=7,
                                           case_inquiry_date="2026-04-15")
    assert "within 7 months." in lookup(client, "EAC2112345678").content.decode()
    Case.objects.filter(pk=case.pk).update(status=Status.APPROVED, status_changed_at="2026-03-04T01:00:00Z")
    ProcessingTime.objects.filter(pk=figure.pk).update(completed_within=3, unit=ProcessingTime.Unit.WEEKS)
    html = lookup(client, "EAC2112345678").content.decode()
    assert f'data-status="{Status.APPROVED.value}"' in html and "within 3 weeks." in html
    assert '<time datetime="2026-03-04T10:00:00+09:00">' in html  # in Tokyo's time zone
