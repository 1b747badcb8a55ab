"""Processing times: officers publish them per post and service in the admin; the public page lists them
as entered, filtered by post and service with a GET form; the status flow finds the figure that applies."""

import datetime as dt

import pytest
from django.urls import reverse

from inquiries.models import ProcessingTime
from inquiries.processing_times import processing_time_for, processing_times_url

pytestmark = pytest.mark.django_db
PAGE = "/en/processing-times/"


def publish(client, post, service, within, unit="months", inquiry="2026-05-01", updated="2026-11-20"):
    return client.post(reverse("admin:inquiries_processingtime_add"), {
        "post": post.pk, "service": service, "completed_within": within, "unit": unit,
        "case_inquiry_date": inquiry, "updated_on": updated})


def row(html, service):
    start = html.index(f'data-service="{service}"')
    return html[start:html.index("</tr>", start)]


def test_processing_times_show_on_the_public_page_as_the_officer_enters_them(officer_client, tokyo, client):
    assert 'id="no-processing-times"' in client.get(PAGE).content.decode()
    assert publish(officer_client, tokyo, "I-130", 7).status_code == 302
    assert publish(officer_client, tokyo, "B1/B2", 3, unit="weeks", inquiry="2026-10-01").status_code == 302
    html = client.get(PAGE).content.decode()
    i130 = row(html, "I-130")
    assert "U.S. Embassy Tokyo" in i130 or tokyo.name in i130
    assert "7 months" in i130 and 'datetime="2026-05-01"' in i130 and 'datetime="2026-11-20"' in i130
    assert "3 weeks" in row(html, "B1/B2")

    figure = ProcessingTime.objects.get(service="I-130")
    officer_client.post(reverse("admin:inquiries_processingtime_change", args=[figure.pk]), {
        "post": tokyo.pk, "service": "I-130", "completed_within": 5, "unit": "months",
        "case_inquiry_date": "2026-06-01", "updated_on": "2026-12-01"})
    updated = row(client.get(PAGE).content.decode(), "I-130")
    assert "5 months" in updated and 'datetime="2026-06-01"' in updated and 'datetime="2026-12-01"' in updated


def test_an_officer_publishes_only_for_their_posts(officer_client, shanghai):
    response = publish(officer_client, shanghai, "I-130", 7)
    assert response.status_code == 200 and response.context["adminform"].form.errors["post"]
    assert not ProcessingTime.objects.exists()


def test_the_page_filters_by_post_and_service_with_a_get_form(client, tokyo, shanghai):
    for post, service in ((tokyo, "I-130"), (tokyo, "B1/B2"), (shanghai, "I-130")):
        ProcessingTime.objects.create(post=post, service=service, completed_within=4,
                                      case_inquiry_date=dt.date(2026, 5, 1))
    html = client.get(PAGE).content.decode()
    assert 'id="processing-times-filter"' in html and 'method="get"' in html.lower()
    assert html.count('data-service="I-130"') == 2

    by_post = client.get(PAGE, {"post": "shanghai"}).content.decode()
    assert 'data-post="shanghai"' in by_post and 'data-post="tokyo"' not in by_post
    by_service = client.get(PAGE, {"service": "B1/B2"}).content.decode()
    assert by_service.count("<tr id=") == 1 and 'data-service="B1/B2"' in by_service
    both = client.get(PAGE, {"post": "tokyo", "service": "I-130"}).content.decode()
    assert both.count("<tr id=") == 1 and 'data-post="tokyo"' in both


@pytest.mark.parametrize("query", [{"post": "nowhere"}, {"service": "X-1"}, {"post": "\x00"}])
def test_a_choice_that_is_not_offered_is_an_error_on_its_field(client, tokyo, query):
    ProcessingTime.objects.create(post=tokyo, service="I-130", completed_within=4,
                                  case_inquiry_date=dt.date(2026, 5, 1))
    response = client.get(PAGE, query)
    assert response.status_code == 400 and "from the list." in response.content.decode()


def test_the_page_costs_one_query(client, tokyo, django_assert_num_queries):
    for number in range(20):
        ProcessingTime.objects.create(post=tokyo, service=f"I-{100 + number}", completed_within=4,
                                      case_inquiry_date=dt.date(2026, 5, 1))
    client.get(PAGE)
    with django_assert_num_queries(1):
        assert client.get(PAGE).content.decode().count("<tr id=") == 20
    with django_assert_num_queries(1):
        assert client.get(PAGE, {"post": "tokyo", "service": "I-105"}).content.decode().count("<tr id=") == 1


def test_processing_time_for_finds_the_posts_figure_for_a_service(tokyo, shanghai):
    figure = ProcessingTime.objects.create(post=tokyo, service="I-130", completed_within=4,
                                           case_inquiry_date=dt.date(2026, 5, 1))
    assert processing_time_for(tokyo, "i-130 ") == figure
    assert processing_time_for(tokyo.pk, "I-130") == figure
    assert processing_time_for(shanghai, "I-130") is None and processing_time_for(tokyo, "") is None
    assert processing_times_url(tokyo, "I-130") == "/en/processing-times/?post=tokyo&service=I-130"
    assert figure.accepts_inquiry(dt.date(2026, 4, 30)) and not figure.accepts_inquiry(dt.date(2026, 5, 1))


def test_the_inquiry_check_links_the_posts_processing_times_once_it_publishes_some(client, tokyo):
    query = {"post": "tokyo", "route": "interview", "route_start": tokyo.local_today().isoformat()}
    assert 'id="check-processing-times"' not in client.get("/en/inquiries/", query).content.decode()
    ProcessingTime.objects.create(post=tokyo, service="B1/B2", completed_within=3, unit="weeks",
                                  case_inquiry_date=dt.date(2026, 10, 1))
    html = client.get("/en/inquiries/", query).content.decode()
    link = html.split('id="check-processing-times"')[1].split("</p>")[0]
    assert 'href="/en/processing-times/?post=tokyo"' in link
    listed = client.get("/en/processing-times/", {"post": "tokyo"})
    assert listed.status_code == 200 and "3 weeks" in row(listed.content.decode(), "B1/B2")
