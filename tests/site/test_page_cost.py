"""What each public page costs, counted (not timed): SQL queries and template renders, once the layout's
cached parts are in the cache. A page that grows a query or a template per field shows up here first;
``benchmarks/pages.py`` measures the time."""

import re

import pytest
from django.test import Client

from appointments.models import ExpediteCategory, ExpediteExclusion, ExpeditePolicy
from appointments.policy_data import seed_policies
from consular_portal.models import Post
from tests.page_costs import cost

pytestmark = pytest.mark.django_db


FORM = "/en/appointments/shanghai/request/"
FORM_WITH_ERRORS = {
    "submission_key": "0b6c1e2a-3d4f-4a5b-8c7d-9e0f1a2b3c4d", "request_type": "single", "full_name": "Wang Wei",
    "members-TOTAL_FORMS": "5", "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "0",
    "members-MAX_NUM_FORMS": "1000",
}


@pytest.fixture
def policies(posts):
    seed_policies(Post, ExpeditePolicy, ExpediteCategory, ExpediteExclusion)


@pytest.mark.parametrize(("path", "queries", "renders"), [
    ("/en/", 0, 2),                          # the posts by country and the header's posts come from the cache
    ("/ja/", 0, 2),
    ("/en/contact/", 1, 3),
    ("/en/feedback/", 1, 2),                 # the posts' version; the blank form (4 fields) is cached
    ("/en/fraud/", 1, 2),                    # the blank form (7 fields, 2 fieldsets) is cached
    ("/en/appointments/tokyo/", 1, 2),       # the post with its policy's id and content version; the body cached
    ("/en/appointments/shanghai/", 1, 2),
    (FORM, 1, 2),                            # the blank fields (56, with 5 group members) are cached
])
def test_a_public_page_costs_what_it_did(client, policies, path, queries, renders):
    client.get(path)  # the layout's cached parts are filled by the first page of each language
    assert cost(lambda: client.get(path)) == (200, queries, renders)


@pytest.mark.parametrize(("path", "queries", "renders"), [
    ("/en/passports/status/", 0, 2),                       # the blank lookup form is cached
    ("/en/passports/status/?number=TK1234567", 1, 2),      # the passport; both forms and its explanation cached
    ("/en/passports/status/?number=ZZ7654321", 1, 2),      # an unknown number: the same work
    ("/en/passports/statuses/", 0, 2),
    ("/en/cases/status/?number=EAC2112345678", 1, 2),      # the case with its processing time in one query
    ("/en/cases/status/?number=EAC2100000000", 1, 2),      # not found: the same
    ("/en/cases/statuses/", 0, 2),
    ("/en/appointments/tokyo/in-person/", 1, 2),           # the post; the content (3 radio groups) is cached
])
def test_a_status_page_and_the_in_person_form_cost_what_they_did(client, policies, path, queries, renders):
    from inquiries.models import Case, ProcessingTime
    from passports.models import PassportTracking

    tokyo = Post.objects.get(slug="tokyo")
    PassportTracking.objects.create(post=tokyo, key="TK1234567", status=PassportTracking.Status.RETURNED)
    Case.objects.create(post=tokyo, key="EAC2112345678", status=Case.Status.RECEIVED, service="I-130")
    ProcessingTime.objects.create(post=tokyo, service="I-130", completed_within=6, case_inquiry_date="2026-05-01")
    client.get(path)
    assert cost(lambda: client.get(path)) == (200, queries, renders)


@pytest.mark.parametrize(("path", "queries", "renders"), [
    ("/en/contact/?post=tokyo", 1, 2),                     # the post; its hours, tools and phones are cached
    ("/en/assistance/tokyo/", 1, 2),                       # the post; the content (the blank form) is cached
    ("/en/processing-times/", 1, 2),                       # the figures with their posts; filter and table cached
    ("/en/processing-times/?post=tokyo&service=I-130", 1, 2),
])
def test_the_contact_assistance_and_processing_times_pages_cost_what_they_did(client, policies, path, queries,
                                                                              renders):
    from inquiries.models import ProcessingTime

    ProcessingTime.objects.create(post=Post.objects.get(slug="tokyo"), service="I-130", completed_within=6,
                                  case_inquiry_date="2026-05-01")
    client.get(path)
    assert cost(lambda: client.get(path)) == (200, queries, renders)


def test_an_edit_of_a_post_or_its_figures_shows_on_its_pages_without_telling_the_process(client, policies):
    """The contact, in-person, live-assistance and processing times pages keep their content per post and
    version: a change saved straight to the database shows on the next page."""
    from inquiries.models import ProcessingTime

    tokyo = Post.objects.get(slug="tokyo")
    figure = ProcessingTime.objects.create(post=tokyo, service="I-130", completed_within=6,
                                           case_inquiry_date="2026-05-01")
    pages = ["/en/contact/?post=tokyo", "/en/appointments/tokyo/in-person/", "/en/assistance/tokyo/",
             "/en/processing-times/", "/en/processing-times/?post=tokyo"]
    for page in pages:
        assert "U.S. Embassy Tokyo" in client.get(page).content.decode()
    tokyo.name = "U.S. Embassy Tokyo (Akasaka)"
    tokyo.email = "akasaka@example.gov"
    tokyo.save()
    for page in pages:
        assert "U.S. Embassy Tokyo (Akasaka)" in client.get(page).content.decode(), page
    assert "akasaka@example.gov" in client.get("/en/contact/?post=tokyo").content.decode()

    figure.completed_within = 9
    figure.save()
    assert "9 months" in client.get("/en/processing-times/").content.decode()
    ProcessingTime.objects.create(post=tokyo, service="B1/B2", completed_within=3, case_inquiry_date="2026-05-01")
    html = client.get("/en/processing-times/?post=tokyo").content.decode()
    assert 'data-service="B1/B2"' in html and '<option value="B1/B2">B1/B2</option>' in html
    figure.delete()
    assert 'data-service="I-130"' not in client.get("/en/processing-times/?post=tokyo").content.decode()


def test_the_contact_page_says_open_or_closed_at_each_instant_of_one_day(policies):
    """The contact page's content is kept per post, status and week: the same post an hour apart on one day
    says open, then closed with its next opening; the URL's post comes before the cookie's."""
    import datetime as dt
    import zoneinfo

    from django.test import RequestFactory

    from consular_portal import views

    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")

    def page(hour, cookie="naha"):
        request = RequestFactory().get("/contact/", {"post": "tokyo"})
        request.COOKIES["portal_post"] = cookie
        return views.contact(request, clock=lambda: dt.datetime(2026, 5, 12, hour, 30, tzinfo=tokyo)).content.decode()

    assert "Open now" in page(10) and "Open now" in page(11, cookie="")
    closed = page(18)
    assert "Open now" not in closed and "Closed now — opens Wednesday, May 13, 2026" in closed
    assert "Contact U.S. Embassy Tokyo" in closed


def test_the_request_form_sent_back_with_errors_costs_what_it_did(client, policies):
    """One query: the policy, with the request sent earlier with the form's submission key (the form's
    fields were built by the GET, once per process and policy version). Its 56 fields and their errors are
    written without a template, the fields left empty from markup kept per process, and the frames of its
    error summary and of its fields are rendered once per process and language (the first form sent back
    renders the summary's): the page and its layout are the 2 renders."""
    client.get(FORM)
    assert cost(lambda: client.post(FORM, FORM_WITH_ERRORS)) == (400, 1, 3)
    assert cost(lambda: client.post(FORM, FORM_WITH_ERRORS)) == (400, 1, 2)


def test_a_field_costs_no_template_render(client, policies):
    """The request form with 10 more group members, rendered the first time, costs the same renders as with
    6; the second time it is read from the cache."""
    client.get(FORM)
    _status, _queries, six = cost(lambda: client.get(FORM + "?members=6"))
    _status, first_queries, sixteen = cost(lambda: client.get(FORM + "?members=16"))
    assert sixteen == six
    assert first_queries == 3  # the policy, then its categories and exclusions for the form
    assert cost(lambda: client.get(FORM + "?members=16")) == (200, 1, 2)
    sent_back = {**FORM_WITH_ERRORS, "members-TOTAL_FORMS": "16"}
    assert cost(lambda: client.post(FORM, sent_back)) == (400, 1, 3)  # the error summary's frame, once


def test_a_blank_site_form_is_cached_with_the_chosen_post_and_each_request_has_its_own_token(policies):
    client = Client(enforce_csrf_checks=True)
    client.get("/en/feedback/")
    client.cookies["portal_post"] = "naha"
    page = client.get("/en/feedback/").content.decode()
    assert '<option value="naha" selected>U.S. Consulate General Naha</option>' in page
    assert "csrf-token-of-the-request" not in page
    token = re.search(r'<form[^>]+id="survey-form".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S)[1]
    assert cost(lambda: client.get("/en/feedback/"))[1:] == (1, 2)
    post = Post.objects.get(slug="naha")
    post.name = "U.S. Consulate General Naha (Urasoe)"
    post.save()
    page = client.get("/en/feedback/").content.decode()
    assert '<option value="naha" selected>U.S. Consulate General Naha (Urasoe)</option>' in page
    response = client.post("/en/feedback/", {"rating": "5", "csrfmiddlewaretoken": token}, follow=True)
    assert response.redirect_chain and response.status_code == 200


def test_an_edit_of_the_policy_shows_on_the_next_page_without_telling_the_process(client, policies):
    """The cached parts are keyed by the content version the page's one query reads: a change saved by any
    process (here straight to the database, with nothing told to this process's cache) shows at once."""
    policy_page = "/en/appointments/tokyo/"
    policy = ExpeditePolicy.objects.get(post__slug="tokyo")
    category = policy.categories.filter(active=True).first()
    assert category.name in client.get(policy_page).content.decode()
    assert category.name in client.get(FORM.replace("shanghai", "tokyo")).content.decode()

    category.name = "Medical emergency of a close relative"
    category.save()
    assert "Medical emergency of a close relative" in client.get(policy_page).content.decode()
    assert "Medical emergency of a close relative" in client.get(FORM.replace("shanghai", "tokyo")).content.decode()

    exclusion = policy.exclusions.filter(active=True, only_alone=False).first()
    assert exclusion.name in client.get(policy_page).content.decode()
    exclusion.delete()  # a deleted row leaves no newer timestamp: the count of rows changes the version
    assert exclusion.name not in client.get(policy_page).content.decode()

    policy.response_days_max = 9
    policy.save()
    assert "within 1–9 business days" in client.get(policy_page).content.decode()

    post = policy.post
    post.name = "U.S. Embassy Tokyo (Akasaka)"
    post.save()
    assert "U.S. Embassy Tokyo (Akasaka)" in client.get(policy_page).content.decode()


def test_the_header_costs_no_query_once_cached_and_shows_the_chosen_post(client, policies):
    client.get("/en/contact/")
    client.cookies["portal_post"] = "naha"
    response = client.get("/en/")
    assert cost(lambda: client.get("/en/"))[1] == 0
    assert '<option value="naha" selected>U.S. Consulate General Naha</option>' in response.content.decode()
    japanese = client.get("/ja/").content.decode()
    assert 'value="naha" selected>' in japanese and "在沖縄米国総領事館" in japanese


def test_production_reads_each_template_once_and_keeps_database_connections():
    from tests.test_settings import PRODUCTION_ENV, manage

    result = manage("shell", "-c", "from django.template import engines; from django.conf import settings; "
                    "print(type(engines['django'].engine.template_loaders[0]).__module__, "
                    "settings.DATABASES['default']['CONN_MAX_AGE'], "
                    "settings.DATABASES['default']['CONN_HEALTH_CHECKS'])",
                    env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["django.template.loaders.cached", "60", "True"]


@pytest.mark.parametrize(("path", "queries", "renders"), [
    ("/en/inquiries/", 1, 2),          # the policies' posts and version; the blank check form is cached
    # The policies with their routes and processing times in one query; the form as sent is cached per post and
    # route, the date written in.
    ("/en/inquiries/?post=tokyo&route=interview&route_start=2026-01-05", 1, 2),
    ("/en/inquiries/ask/?post=tokyo&route=interview&route_start=2026-01-05", 1, 2),  # the prefilled form cached
])
def test_the_status_inquiry_pages_cost_what_they_did(client, posts, path, queries, renders):
    client.get(path)
    assert cost(lambda: client.get(path)) == (200, queries, renders)
