"""The officers' dashboard: figures of a hand-counted week, one query count at any size, posts kept apart, the CSV
of each table and a page that needs no script."""

import csv
import datetime as dt
import io
import uuid
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appointments.models import AppointmentSlot, ExpediteRequest
from consular_portal import dashboard
from consular_portal.models import SurveyResponse
from inquiries.models import Inquiry
from passports.models import PassportTracking

from . import factories
from .factories import ExpediteRequestFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 10)  # a Wednesday; no holiday in Japan or the US from 1 to 24 June 2026
THIS_WEEK, LAST_WEEK = "2026-06-08", "2026-06-01"


def at(post, day, hour, minute=0):
    """An instant at ``post``'s local time."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=post.tz)


def expedite(post, number, *, category, received, decided=None, status=ExpediteRequest.Status.SUBMITTED,
             promised_by, officer=None):
    request = ExpediteRequestFactory(post=post, number=number, category_code=category, documents=[])
    ExpediteRequest.objects.filter(pk=request.pk).update(
        created_at=received, decided_at=decided, status=status, promised_by=promised_by, decided_by=officer)
    return request


def inquiry(post, number, *, received, status=Inquiry.Status.OPEN, decided=None, promised_by="2026-06-20"):
    row = Inquiry.objects.create(
        reference=f"INQ-{post.slug[:4]}-{number}", post=post, promised_by=promised_by, full_name="n",
        date_of_birth="1990-01-01", email="a@example.com", passport_number="TK1234567",
        visa_category="nonimmigrant", case_number=f"AA{number:08d}", route="interview", route_start="2026-04-01",
        eligible_from="2026-04-15", question="q", status=status)
    Inquiry.objects.filter(pk=row.pk).update(created_at=received, decided_at=decided)
    return row


def survey(post, rating, when, comments=""):
    answer = SurveyResponse.objects.create(rating=rating, post=post, language="en", comments=comments)
    SurveyResponse.objects.filter(pk=answer.pk).update(created_at=when)


@pytest.fixture
def counted_week(tokyo, shanghai, tokyo_policy, shanghai_policy, officer_tokyo):
    """Requests, slots, inquiries, passports and survey answers whose figures are counted by hand below."""
    first, second = [category.code for category in tokyo_policy.categories.order_by("order", "pk")[:2]]
    approved, refused = ExpediteRequest.Status.APPROVED, ExpediteRequest.Status.REFUSED
    # decided after 2 business days (Mon → Wed), by the date promised
    expedite(tokyo, 1, category=first, received=at(tokyo, "2026-06-08", 10), decided=at(tokyo, "2026-06-10", 11),
             status=approved, promised_by="2026-06-12", officer=officer_tokyo)
    # received last Friday, decided after 3 business days (Mon, Tue, Wed), two days late
    expedite(tokyo, 2, category=first, received=at(tokyo, "2026-06-05", 15), decided=at(tokyo, "2026-06-10", 9),
             status=refused, promised_by="2026-06-08", officer=officer_tokyo)
    # last week: 3 business days (Tue, Wed, Thu), on time
    expedite(tokyo, 3, category=second, received=at(tokyo, "2026-06-01", 9), decided=at(tokyo, "2026-06-04", 16),
             status=approved, promised_by="2026-06-05", officer=officer_tokyo)
    # open, promised yesterday: overdue
    expedite(tokyo, 4, category=second, received=at(tokyo, "2026-06-09", 9), promised_by="2026-06-09")
    # Monday 00:30 in Tokyo is Sunday in UTC: this week. Withdrawn by the applicant: received, never decided
    expedite(tokyo, 5, category=first, received=at(tokyo, "2026-06-08", 0, 30), decided=at(tokyo, "2026-06-09", 9),
             status=ExpediteRequest.Status.WITHDRAWN, promised_by="2026-06-12")
    # another post's work, counted nowhere in Tokyo's figures
    shanghai_code = shanghai_policy.categories.first().code
    expedite(shanghai, 6, category=shanghai_code, received=at(shanghai, "2026-06-08", 10),
             decided=at(shanghai, "2026-06-09", 10), status=approved, promised_by="2026-06-12")
    expedite(shanghai, 7, category=shanghai_code, received=at(shanghai, "2026-06-08", 10), promised_by="2026-06-01")

    AppointmentSlot.objects.create(post=tokyo, starts_at=at(tokyo, "2026-06-10", 9), capacity=5, booked=2)
    AppointmentSlot.objects.create(post=tokyo, starts_at=at(tokyo, "2026-06-12", 14), capacity=3, booked=3)
    AppointmentSlot.objects.create(post=tokyo, starts_at=at(tokyo, "2026-06-24", 9), capacity=4)  # day 15
    AppointmentSlot.objects.create(post=shanghai, starts_at=at(shanghai, "2026-06-10", 9), capacity=9)

    inquiry(tokyo, 1, received=at(tokyo, "2026-06-08", 9), status=Inquiry.Status.ANSWERED,
            decided=at(tokyo, "2026-06-09", 9))
    inquiry(tokyo, 2, received=at(tokyo, "2026-06-02", 9), promised_by="2026-06-05")  # open, overdue
    inquiry(tokyo, 3, received=at(tokyo, "2026-06-09", 9), status=Inquiry.Status.INELIGIBLE)
    inquiry(shanghai, 4, received=at(shanghai, "2026-06-09", 9), promised_by="2026-06-01")

    for post, key, status in [(tokyo, "TK0000001", "at_post"), (tokyo, "TK0000002", "at_post"),
                              (tokyo, "TK0000003", "delivered"), (shanghai, "SH0000001", "at_post")]:
        PassportTracking.objects.create(post=post, key=key, status=status)

    survey(tokyo, 5, at(tokyo, "2026-06-09", 10), "Quick and kind.")
    survey(tokyo, 4, at(tokyo, "2026-06-09", 11))
    survey(tokyo, 2, at(tokyo, "2026-06-02", 11), "Too slow.")
    survey(None, 1, at(tokyo, "2026-06-09", 12), "About the website.")
    survey(shanghai, 1, at(shanghai, "2026-06-09", 12), "Shanghai's comment.")
    return first, second


def row(figure, label):
    return next(row for row in figure.rows if str(row[0]) == label)


def test_the_figures_are_those_counted_by_hand(tokyo, counted_week):
    first, second = counted_week
    weekly = dashboard.expedite_weekly([tokyo], TODAY)
    assert len(weekly.rows) == 13 and weekly.rows[-1][0] == THIS_WEEK
    # received 1, 4, 5; decided 1 (2 days, on time) and 2 (3 days, late): median 2.5, half on time
    assert row(weekly, THIS_WEEK) == [THIS_WEEK, 3, 2, 2.5, 50]
    assert row(weekly, LAST_WEEK) == [LAST_WEEK, 2, 1, 3, 100]
    assert row(weekly, "2026-05-25") == ["2026-05-25", 0, 0, None, None]

    categories = dashboard.expedite_by_category([tokyo], TODAY)
    names = {category.code: category.localized_name for category in tokyo.expedite_policy.categories.all()}
    assert row(categories, names[first])[1:] == [2, 3, 2, 2, 0]
    assert row(categories, names[second])[1:] == [1, 2, 0, 1, 1]
    assert sum(row[2] for row in categories.rows) == 5

    assert [row[1] for row in dashboard.overdue_now([tokyo], TODAY).rows] == [1, 1]

    slots = dashboard.slots_ahead([tokyo], TODAY)
    assert len(slots.rows) == 14 and slots.rows[0] == ["2026-06-10", 2, 3] and slots.rows[2] == ["2026-06-12", 3, 0]
    assert sum(row[1] + row[2] for row in slots.rows) == 8  # nothing of day 15 or of Shanghai

    inquiries = dashboard.inquiries_weekly([tokyo], TODAY)
    assert row(inquiries, THIS_WEEK) == [THIS_WEEK, 1, 1] and row(inquiries, LAST_WEEK) == [LAST_WEEK, 1, 0]

    passports = {row[0]: row[1] for row in dashboard.passports_by_status([tokyo], TODAY).rows}
    assert passports[PassportTracking.Status.AT_POST.label] == 2
    assert passports[PassportTracking.Status.DELIVERED.label] == 1 and sum(passports.values()) == 3

    ratings = dashboard.survey_weekly([tokyo], TODAY)
    assert row(ratings, THIS_WEEK) == [THIS_WEEK, 2, 4.5] and row(ratings, LAST_WEEK) == [LAST_WEEK, 1, 2]
    assert [answer.comments for answer in dashboard.latest_comments([tokyo])] == ["Quick and kind.", "Too slow."]


def test_two_posts_add_up_each_at_its_own_local_date(tokyo, shanghai, counted_week):
    weekly = dashboard.expedite_weekly([tokyo, shanghai], TODAY)
    assert row(weekly, THIS_WEEK)[1:3] == [5, 3]
    assert [row[1] for row in dashboard.overdue_now([tokyo, shanghai], TODAY).rows] == [2, 2]


def test_the_median_of_counted_values():
    assert dashboard.weighted_median({}) is None
    assert dashboard.weighted_median({2: 1, 3: 1}) == 2.5
    assert dashboard.weighted_median({1: 3, 10: 1}) == 1
    assert dashboard.weighted_median({1: 2, 4: 2, 9: 1}) == 4


# The page -----------------------------------------------------------------------------------------------------


class Tables(HTMLParser):
    """{table id: [[cell text]]} of a page, header row first."""

    def __init__(self):
        super().__init__()
        self.tables, self.table, self.row, self.text = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.table = self.tables.setdefault(dict(attrs).get("id"), [])
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("th", "td") and self.row is not None:
            self.text = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.text is not None:
            self.row.append("".join(self.text).strip())
            self.text = None
        elif tag == "tr" and self.row is not None:
            self.table.append(self.row)
            self.row = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)


def tables(response):
    parser = Tables()
    parser.feed(response.content.decode())
    return parser.tables


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def index():
    return reverse("admin:index")


def csv_url(key, post=None):
    return reverse("admin:dashboard_csv", args=[key]) + (f"?post={post.pk}" if post else "")


def received_this_week(client, post=None):
    return int(csv_rows(client.get(csv_url("requests", post)))[-1][1])


def test_an_officer_sees_only_their_posts_figures_and_cannot_ask_for_another(
        client, tokyo, shanghai, tokyo_policy, shanghai_policy, officer_tokyo, administrator):
    ExpediteRequestFactory(post=tokyo, documents=[])
    for _n in range(2):
        ExpediteRequestFactory(post=shanghai, documents=[])
    client.force_login(officer_tokyo)
    page = client.get(index())
    assert page.status_code == 200
    assert tables(page)["table-requests"][-1][1] == "1"
    assert "dashboard-post" not in page.content.decode()  # one post: nothing to choose
    assert received_this_week(client) == 1 and received_this_week(client, tokyo) == 1
    assert client.get(index(), {"post": shanghai.pk}).status_code == 404
    assert client.get(csv_url("requests", shanghai)).status_code == 404
    assert client.get(index(), {"post": "x"}).status_code == 404

    client.force_login(administrator)
    page = client.get(index())
    assert tables(page)["table-requests"][-1][1] == "3" and 'id="dashboard-post"' in page.content.decode()
    assert received_this_week(client, shanghai) == 2 and received_this_week(client, tokyo) == 1


def test_passport_staff_see_the_passports_only(client, tokyo, passport_staff):
    PassportTracking.objects.create(post=tokyo, key="TK0000001")
    client.force_login(passport_staff)
    page = client.get(index())
    body = page.content.decode()
    assert page.status_code == 200 and 'id="table-passports"' in body
    assert "table-requests" not in body and "Expedite requests" not in body
    assert client.get(csv_url("requests")).status_code == 403
    assert client.get(csv_url("passports")).status_code == 200


def test_each_csv_holds_the_figures_of_its_table(client, tokyo, counted_week, administrator):
    client.force_login(administrator)
    page_tables = tables(client.get(index(), {"post": tokyo.pk}))
    keys = ["requests", "categories", "overdue", "slots", "inquiries", "passports", "survey"]
    assert sorted(key.removeprefix("table-") for key in page_tables if key and key.startswith("table-")) == sorted(keys)
    for key in keys:
        response = client.get(csv_url(key, tokyo))
        assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
        table = [[cell.replace("—", "") for cell in table_row] for table_row in page_tables[f"table-{key}"]]
        assert csv_rows(response) == table, key
    assert client.get(csv_url("nothing")).status_code == 404


def test_officers_see_no_passports_as_they_open_none_in_the_admin(client, tokyo, counted_week, officer_tokyo):
    client.force_login(officer_tokyo)
    page_tables = tables(client.get(index()))
    assert "table-passports" not in page_tables and "table-requests" in page_tables
    assert client.get(csv_url("passports")).status_code == 403


def test_the_page_works_without_script(client, tokyo, shanghai, counted_week, administrator):
    """A plain GET holds every chart drawn (bars with their values) and the filter is a form sent by GET."""
    client.force_login(administrator)
    body = client.get(index(), {"post": tokyo.pk}).content.decode()
    main = body[body.index('id="content-main"'):body.index('class="app-list"')]
    assert "<script" not in main
    assert main.count('<svg xmlns="http://www.w3.org/2000/svg" class="dashboard-chart"') == 7 and "<rect" in main
    assert '<form method="get" id="dashboard-filter"' in main and f'value="{tokyo.pk}" selected' in main
    assert "Quick and kind." in main and "Shanghai&#x27;s comment." not in main
    assert reverse("admin:appointments_expediterequest_changelist") in body  # the app list follows


def _more_of_everything(tokyo, shanghai, count):
    """``count`` more rows of every kind counted, at both posts, spread over the weeks shown."""
    template = ExpediteRequest.objects.filter(post=tokyo).first()
    requests = []
    for n in range(count):
        clone = ExpediteRequest.objects.get(pk=template.pk)
        clone.pk, clone.reference, clone.submission_key = None, f"CL{n:08d}", uuid.uuid4()
        clone.appointment_number = f"CLONE{n}"
        clone.post = (tokyo, shanghai)[n % 2]
        clone.category = clone.post.expedite_policy.categories.all()[n % 3]
        requests.append(clone)
    ExpediteRequest.objects.bulk_create(requests)
    for n, request in enumerate(requests):
        decided = at(request.post, "2026-06-09", 9) - dt.timedelta(days=n % 80)
        ExpediteRequest.objects.filter(pk=request.pk).update(
            created_at=decided - dt.timedelta(days=n % 9), decided_at=decided if n % 3 else None,
            status="approved" if n % 3 else "submitted")
    for n in range(count):
        post = (tokyo, shanghai)[n % 2]
        AppointmentSlot.objects.create(post=post, starts_at=at(post, "2026-06-10", 8) + dt.timedelta(hours=7 * n),
                                       capacity=3, booked=n % 3)
        inquiry(post, 100 + n, received=at(post, "2026-06-09", 9) - dt.timedelta(days=n))
        PassportTracking.objects.create(post=post, key=f"XX{n:07d}", status=("at_post", "delivered")[n % 2])
        survey(post, 1 + n % 5, at(post, "2026-06-09", 9) - dt.timedelta(days=n), f"Comment {n}")


def test_the_page_takes_the_same_queries_at_any_size(client, tokyo, shanghai, counted_week, administrator,
                                                     officer_tokyo):
    def queries(user, **params):
        client.force_login(user)
        cache.clear()  # the figures counted, not the ones kept
        with CaptureQueriesContext(connection) as captured:
            assert client.get(index(), params).status_code == 200
        return len(captured)

    small = {"administrator": queries(administrator), "one post": queries(administrator, post=tokyo.pk),
             "officer": queries(officer_tokyo)}
    _more_of_everything(tokyo, shanghai, 40)
    large = {"administrator": queries(administrator), "one post": queries(administrator, post=tokyo.pk),
             "officer": queries(officer_tokyo)}
    assert large == small
    assert small["officer"] <= 30, small


def test_the_figures_are_counted_once_then_kept_for_a_few_minutes(client, tokyo, shanghai, counted_week,
                                                                 officer_tokyo):
    client.force_login(officer_tokyo)

    def load():
        with CaptureQueriesContext(connection) as captured:
            body = client.get(index()).content.decode()
        return body, len(captured)

    first, counting = load()
    assert "Counted at" in first
    kept, reading = load()
    assert reading < counting - 5  # no figure counted again
    assert kept.split('id="dashboard-counted"')[1][:60] == first.split('id="dashboard-counted"')[1][:60]
    cache.clear()  # as after FIGURE_SECONDS
    assert load()[1] > reading + 5


def test_the_dashboard_is_the_admin_landing_page_in_every_language(client, tokyo, officer_tokyo):
    client.force_login(officer_tokyo)
    for language in ("en", "ja", "zh-hans"):
        client.cookies["django_language"] = language
        response = client.get(index(), headers={"accept-language": language})
        assert response.status_code == 200 and 'id="figure-requests"' in response.content.decode()


def test_staff_of_no_post_see_a_word_about_it_and_the_app_list(client, tokyo):
    client.force_login(factories.officer(username="new-officer"))
    body = client.get(index()).content.decode()
    assert "You are not staff of any post yet" in body and "figure-requests" not in body
