"""Live-assistance requests: the public form, the estimate of when an officer contacts the applicant (shown on
the confirmation page and in the acknowledgement), the officer's answer in the admin, and who sees what."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import formats

from consular_portal.models import OutboundEmail
from inquiries import assistance
from inquiries.assistance_estimate import contact_estimate
from inquiries.models import LiveAssistanceRequest
from tests.factories import live_assistance_request
from tests.form_data import assistance_form_data

pytestmark = pytest.mark.django_db

JST = zoneinfo.ZoneInfo("Asia/Tokyo")
TYPED = ("Taro", "Yamada", "EAC2190012345", "never arrived")


def form_url(post):
    return f"/en/assistance/{post.slug}/"


def change_url(request):
    return reverse("admin:inquiries_liveassistancerequest_change", args=[request.pk])


def decide_url(request):
    return reverse("admin:inquiries_liveassistancerequest_decide", args=[request.pk])


def shown(day):
    return formats.date_format(day, "DATE_FORMAT")


# The public form -----------------------------------------------------------------------------------------


def test_a_request_is_stored_with_its_estimate_acknowledged_and_sent_to_the_officers(client, tokyo, settings):
    live_assistance_request(tokyo, 1)  # one request already waiting
    response = client.post(form_url(tokyo), assistance_form_data())
    assert response.status_code == 302 and "/assistance/requests/" in response["Location"]
    request = LiveAssistanceRequest.objects.get(email="taro.yamada@example.com")
    assert request.status == "waiting" and request.topic == "document" and request.queue_ahead == 1
    assert request.promised_by == contact_estimate(post=tokyo, at=request.created_at, ahead=1,
                                                   per_day=assistance.daily_capacity(tokyo))
    assert str(request.phone) == "+81312345678"
    emails = {e.template: e for e in OutboundEmail.objects.filter(subject__contains=request.reference)}
    assert set(emails) == {"live_assistance_acknowledgement", "live_assistance_officer_notification"}
    acknowledgement = emails["live_assistance_acknowledgement"]
    assert request.reference in acknowledgement.subject
    assert f"We estimate that an officer will contact you by {request.promised_by:%Y-%m-%d}." in \
        acknowledgement.body_text
    assert not any(typed in acknowledgement.body_text + acknowledgement.body_html for typed in TYPED)
    assert "EAC2190012345" in emails["live_assistance_officer_notification"].body_text
    # The confirmation page: the reference and the estimate, nothing typed; never stored by a cache.
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Your request has been sent" in html and request.reference in html
    assert f"An officer will contact you by {shown(request.promised_by)}." in html
    assert "When you sent it, 1 request was ahead of yours." in html
    assert not any(typed in html for typed in TYPED)
    link = next(line for line in acknowledgement.body_text.splitlines() if "/assistance/requests/" in line).strip()
    assert link.startswith(f"{settings.SITE_URL}/")
    assert client.get(link.removeprefix(settings.SITE_URL)).status_code == 200


def test_the_phone_is_optional(client, tokyo):
    assert client.post(form_url(tokyo), assistance_form_data(phone=None)).status_code == 302
    assert LiveAssistanceRequest.objects.get().phone == ""


@pytest.mark.parametrize(("overrides", "field"), [
    ({"topic": "visa"}, "topic"),
    ({"topic": None}, "topic"),
    ({"details": ""}, "details"),
    ({"details": "x" * 2001}, "details"),
    ({"details": "bell\x07"}, "details"),
    ({"full_name": ""}, "full_name"),
    ({"full_name": "nul\x00"}, "full_name"),
    ({"email": "not-an-address"}, "email"),
    ({"email": None}, "email"),
    ({"phone": "12"}, "phone"),
    ({"language": "xx"}, "language"),
    ({"language": None}, "language"),
])
def test_bad_input_comes_back_with_the_fields_error_and_stores_nothing(client, tokyo, overrides, field):
    response = client.post(form_url(tokyo), assistance_form_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert "usa-error-message" in html and "usa-error-summary" in html
    assert not LiveAssistanceRequest.objects.exists() and not OutboundEmail.objects.exists()


def test_the_form_of_a_post_without_services_or_of_no_post_is_not_found(client, posts):
    assert client.get(form_url(posts["tokyo"])).status_code == 200
    assert client.get(form_url(posts["shanghai"])).status_code == 200
    assert client.get(form_url(posts["beijing"])).status_code == 404
    assert client.get("/en/assistance/nowhere/").status_code == 404
    assert client.get("/en/assistance/requests/not-a-token/").status_code == 404


# The estimate, from the queue and the calendar -----------------------------------------------------------


def test_each_request_of_a_longer_queue_is_estimated_later_skipping_showa_day_and_golden_week(tokyo, settings):
    settings.LIVE_ASSISTANCE_REQUESTS_PER_DAY = 2
    # Tuesday 28 April 2026, 11:00 in Tokyo: open. 29 April is Showa Day; 2 to 6 May are Golden Week.
    at = dt.datetime(2026, 4, 28, 11, 0, tzinfo=JST)
    requests = [live_assistance_request(tokyo, n, now=at) for n in range(7)]
    assert [r.queue_ahead for r in requests] == list(range(7))
    assert [r.promised_by for r in requests] == [
        dt.date(2026, 4, 28), dt.date(2026, 4, 28), dt.date(2026, 4, 30), dt.date(2026, 4, 30),
        dt.date(2026, 5, 1), dt.date(2026, 5, 1), dt.date(2026, 5, 7)]


def test_answered_requests_leave_the_queue_and_other_posts_queues_do_not_count(tokyo, shanghai, officer_tokyo,
                                                                               settings):
    settings.LIVE_ASSISTANCE_REQUESTS_PER_DAY = 1
    at = dt.datetime(2026, 11, 25, 11, 0, tzinfo=JST)  # Wednesday; Thursday 26 November is Thanksgiving (US)
    first = live_assistance_request(tokyo, 1, now=at)
    live_assistance_request(shanghai, 2, now=at)
    second = live_assistance_request(tokyo, 3, now=at)
    assert (first.promised_by, second.promised_by) == (dt.date(2026, 11, 25), dt.date(2026, 11, 27))
    assistance.assistance_answer(request=first, officer=officer_tokyo, answer="Your notice was sent again.")
    third = live_assistance_request(tokyo, 4, now=at)
    assert third.queue_ahead == 1 and third.promised_by == dt.date(2026, 11, 27)


# The officer's answer ------------------------------------------------------------------------------------


def test_an_officer_answers_in_the_admin_and_the_applicant_is_told(client, tokyo, officer_tokyo):
    request = live_assistance_request(tokyo, language="ja")
    client.force_login(officer_tokyo)
    page = client.get(change_url(request))
    assert page.status_code == 200 and page.context["decision_form"] is not None
    assert "When will my case be decided?" in page.content.decode()
    missing = client.post(decide_url(request), {"action": "answer", "note": ""})
    assert missing.status_code == 200 and "Write the answer to the applicant." in missing.content.decode()
    request.refresh_from_db()
    assert request.status == "waiting"
    answered = client.post(decide_url(request), {"action": "answer",
                                                 "note": "We called you on 3 December: the card was mailed again."})
    assert answered.status_code == 302
    request.refresh_from_db()
    assert request.status == "done" and request.decided_by == officer_tokyo and request.decided_at
    assert request.answer == "We called you on 3 December: the card was mailed again."
    email = OutboundEmail.objects.get(template="live_assistance_answer")
    assert email.to == request.email and email.language == "ja" and request.reference in email.subject
    assert "We called you on 3 December: the card was mailed again." in email.body_text
    assert "When will my case be decided?" not in email.body_text
    # Done once: the form is no longer offered and a second answer is refused.
    assert client.get(change_url(request)).context["decision_form"] is None
    client.post(decide_url(request), {"action": "answer", "note": "Again"})
    assert OutboundEmail.objects.filter(template="live_assistance_answer").count() == 1


def test_the_applicants_page_shows_the_answer_once_done(client, tokyo, officer_tokyo):
    from inquiries.assistance_links import assistance_path

    request = live_assistance_request(tokyo)
    waiting = client.get(assistance_path(request)).content.decode()
    assert "Waiting for an officer." in waiting and "An officer will contact you by" in waiting
    assistance.assistance_answer(request=request, officer=officer_tokyo, answer="Your <b>card</b> was mailed.")
    done = client.get(assistance_path(request)).content.decode()
    assert "Answered." in done and "Your &lt;b&gt;card&lt;/b&gt; was mailed." in done
    assert "An officer will contact you by" not in done


# Who sees what -------------------------------------------------------------------------------------------


def test_officers_of_another_post_see_nothing_and_passport_staff_nothing_at_all(client, tokyo, officer_shanghai,
                                                                              passport_staff):
    request = live_assistance_request(tokyo)
    client.force_login(officer_shanghai)
    assert client.get(change_url(request)).status_code == 404
    assert client.post(decide_url(request), {"action": "answer", "note": "Hello"}).status_code == 404
    listing = client.get(reverse("admin:inquiries_liveassistancerequest_changelist"))
    assert listing.status_code == 200 and request.reference not in listing.content.decode()
    client.force_login(passport_staff)
    assert client.get(reverse("admin:inquiries_liveassistancerequest_changelist")).status_code == 403
    assert client.get(change_url(request)).status_code == 403
    assert client.post(decide_url(request), {"action": "answer", "note": "Hello"}).status_code == 403
    request.refresh_from_db()
    assert request.status == "waiting" and not OutboundEmail.objects.filter(template="live_assistance_answer")


def test_the_officers_queue_lists_their_posts_open_requests_oldest_first(client, tokyo, shanghai, officer_tokyo):
    older, newer = live_assistance_request(tokyo, 1), live_assistance_request(tokyo, 2)
    done = live_assistance_request(tokyo, 3)
    assistance.assistance_answer(request=done, officer=officer_tokyo, answer="Answered by phone.")
    elsewhere = live_assistance_request(shanghai, 4)
    client.force_login(officer_tokyo)
    listing = client.get(reverse("admin:inquiries_liveassistancerequest_changelist")).content.decode()
    assert older.reference in listing and newer.reference in listing
    assert listing.index(older.reference) < listing.index(newer.reference)
    assert done.reference not in listing and elsewhere.reference not in listing


# Page speed ----------------------------------------------------------------------------------------------


def test_the_blank_form_is_one_query_once_cached_and_each_visitor_has_their_own_token(tokyo):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(enforce_csrf_checks=True)
    client.get(form_url(tokyo))  # the layout's and the form's cached parts are filled by the first page
    with CaptureQueriesContext(connection) as queries:
        page = client.get(form_url(tokyo)).content.decode()
    assert len(queries) == 1  # the post
    assert 'id="assistance-form"' in page and 'value="en" id="id_language_0" checked' in page
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    other = Client(enforce_csrf_checks=True).get(form_url(tokyo)).content.decode()
    assert token not in other
    response = client.post(form_url(tokyo), {**assistance_form_data(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    # In Japanese the cached form is the Japanese one, with Japanese chosen for the replies.
    assert 'value="ja" id="id_language_1" checked' in client.get(f"/ja/assistance/{tokyo.slug}/").content.decode()
