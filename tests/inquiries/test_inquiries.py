"""Status inquiries: the check page, the form (eligible, too early, follow-ups, bad input), the applicant's
page, the officers' queue and answer, and the policy an officer edits."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from consular_portal.business_calendar import add_business_days
from consular_portal.models import OutboundEmail
from inquiries.inquiry_links import SALT, inquiry_path
from inquiries.inquiry_rules import inquiry_submit
from inquiries.models import Inquiry, InquiryPolicy, StandardReply

from .inquiry_data import QUESTION, inquiry_form_data

pytestmark = pytest.mark.django_db

CHECK = "/en/inquiries/"
FORM = "/en/inquiries/ask/"
inquiry_data = inquiry_form_data


def started(post, business_days_ago):
    return add_business_days(post, post.local_today(), -business_days_ago)


def shown(day):
    """A date as the English pages show it."""
    from django.utils import formats, translation

    with translation.override("en"):
        return formats.date_format(day, "DATE_FORMAT")


def submitted(post, **changes):
    """An eligible inquiry stored as the form stores it."""
    from inquiries.inquiry_forms import InquiryForm

    policy = InquiryPolicy.objects.select_related("post").prefetch_related("routes").get(post=post)
    form = InquiryForm(inquiry_data(post, **changes), policies={post.slug: policy})
    assert form.is_valid(), form.errors
    return inquiry_submit(policy=policy, fields=form.inquiry_fields(), language=form.cleaned_data["language"])


def change_url(inquiry):
    return reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])


def decide_url(inquiry):
    return reverse("admin:inquiries_inquiry_decide", args=[inquiry.pk])


# The check -----------------------------------------------------------------------------------------------


def test_the_check_page_asks_how_and_when_you_applied(client, tokyo):
    body = client.get(CHECK).content.decode()
    assert 'id="inquiry-check"' in body and 'name="route_start"' in body
    posts = re.search(r'<select name="post".*?</select>', body, re.S).group(0)
    assert "U.S. Embassy Tokyo" in posts and "Shanghai" not in posts  # Shanghai takes no status inquiries


def test_an_early_applicant_is_told_the_exact_date_and_why(client, tokyo):
    start = tokyo.local_today()
    response = client.get(CHECK, {"post": "tokyo", "route": "interview", "route_start": start.isoformat()})
    body = response.content.decode()
    first = add_business_days(tokyo, start, 10)
    assert response.status_code == 200
    assert f"You can inquire on or after {shown(first)}" in body
    assert "once 10 business days have passed since the interview day" in body
    assert 'id="continue"' not in body


def test_an_eligible_applicant_is_led_to_the_form_with_what_they_told(client, tokyo):
    start = started(tokyo, 10)
    body = client.get(CHECK, {"post": "tokyo", "route": "interview", "route_start": start.isoformat()}).content.decode()
    assert "You can inquire now" in body
    link = re.search(r'id="continue" href="([^"]+)"', body).group(1).replace("&amp;", "&")
    form = client.get(link).content.decode()
    assert 'value="tokyo" selected' in form and f'value="{start.isoformat()}"' in form
    assert re.search(r'value="interview"[^>]*checked', form)


def test_a_bad_check_gives_field_errors(client, tokyo):
    response = client.get(CHECK, {"post": "nowhere\x00", "route": "by-pigeon", "route_start": "2026-02-30"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "from the list." in body
    assert "Enter a real date." in body
    future = tokyo.local_today() + dt.timedelta(days=3)
    response = client.get(CHECK, {"post": "tokyo", "route": "mail", "route_start": future.isoformat()})
    assert response.status_code == 400 and "The date cannot be in the future." in response.content.decode()


def test_changing_a_threshold_in_the_admin_changes_the_outcome(client, tokyo, officer_tokyo):
    """The Embassy's current form says 15 business days after the interview: an officer sets it."""
    start = started(tokyo, 12)
    query = {"post": "tokyo", "route": "interview", "route_start": start.isoformat()}
    assert "You can inquire now" in client.get(CHECK, query).content.decode()
    policy = tokyo.inquiry_policy
    routes = list(policy.routes.order_by("order"))
    data = {"accepting": "on", "follow_up_business_days": "3", "answer_business_days": "5",
            "routes-TOTAL_FORMS": str(len(routes)), "routes-INITIAL_FORMS": str(len(routes)),
            "routes-MIN_NUM_FORMS": "0", "routes-MAX_NUM_FORMS": "1000"}
    for i, route in enumerate(routes):
        data.update({f"routes-{i}-id": route.pk, f"routes-{i}-policy": policy.pk, f"routes-{i}-route": route.route,
                     f"routes-{i}-amount": "15" if route.route == "interview" else route.amount,
                     f"routes-{i}-unit": route.unit, f"routes-{i}-order": route.order, f"routes-{i}-active": "on"})
    staff = client.__class__()
    staff.force_login(officer_tokyo)
    response = staff.post(reverse("admin:inquiries_inquirypolicy_change", args=[policy.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    body = client.get(CHECK, query).content.decode()
    first = add_business_days(tokyo, start, 15)
    assert f"You can inquire on or after {shown(first)}" in body
    assert "once 15 business days have passed" in body
    change = policy.routes.get(route="interview").history.first()  # the change is in the history
    assert (change.amount, change.history_user) == (15, officer_tokyo)


# The form ------------------------------------------------------------------------------------------------


def test_an_eligible_inquiry_is_acknowledged_and_sent_to_the_officers(client, tokyo, officer_tokyo):
    response = client.post(FORM, inquiry_data(tokyo))
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.status == "open" and inquiry.case_number == "AA009K8J7H"
    assert inquiry.interview_date == inquiry.route_start and inquiry.reference.startswith("INQ-")
    assert inquiry.promised_by == add_business_days(tokyo, tokyo.local_today(), 5)
    emails = list(OutboundEmail.objects.order_by("pk"))
    assert [e.template for e in emails] == ["inquiry_acknowledgement"] + ["inquiry_officer_notification"] * 2
    assert {e.to for e in emails[1:]} == {tokyo.officer_mailbox, officer_tokyo.email}
    acknowledgement = emails[0]
    assert acknowledgement.to == "hanako@example.com" and inquiry.reference in acknowledgement.body_text
    for typed in ("Hanako", "Suzuki", "passport comes back", "AA009K8J7H", "TK1234567"):
        assert typed not in acknowledgement.body_text + acknowledgement.body_html + acknowledgement.subject
    assert "passport comes back &lt;b&gt;urgently&lt;/b&gt;" in emails[1].body_html  # escaped, in the box
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and "Your inquiry has been sent" in body and inquiry.reference in body
    assert "Hanako" not in body and "passport comes back" not in body and "no-store" in page["Cache-Control"]


def test_an_inquiry_posted_too_early_is_stored_unanswered_and_sends_nothing(client, tokyo, officer_tokyo):
    too_early = tokyo.local_today() - dt.timedelta(days=1)
    response = client.post(FORM, inquiry_data(tokyo, route_start=too_early.isoformat()))
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.status == "ineligible" and inquiry.eligible_from == add_business_days(tokyo, too_early, 10)
    assert not OutboundEmail.objects.exists()
    assert "This inquiry will not be answered." in client.get(response["Location"]).content.decode()
    client.force_login(officer_tokyo)
    for url in (reverse("admin:inquiries_inquiry_changelist"), reverse("admin:inquiries_inquiry_changelist")
                + "?queue=all"):
        assert inquiry.reference not in client.get(url).content.decode()
    assert client.get(change_url(inquiry)).status_code in (302, 404)


def test_a_follow_up_within_three_business_days_is_refused_with_the_date(client, tokyo):
    first = submitted(tokyo)
    response = client.post(FORM, inquiry_data(tokyo, first_inquiry="no", email="other@example.com"))
    until = add_business_days(tokyo, tokyo.local_today(first.created_at), 3)
    body = response.content.decode()
    assert response.status_code == 400
    assert f"You may follow up on or after {shown(until)}" in body
    assert Inquiry.objects.count() == 1
    # Another case is not held back.
    assert client.post(FORM, inquiry_data(tokyo, case_number="AA00111111")).status_code == 302


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"case_number": "TKY2024123456"}, "case_number", "A DS-160 confirmation number has 10 characters"),
    ({"visa_category": "immigrant", "case_number": "AA009K8J7H"}, "case_number",
     "An immigrant visa case number has 3 letters and 10 digits"),
    ({"visa_category": "treaty_trader", "case_number": "E2-2024-7788"}, "route",
     "This does not fit the visa category you chose."),
    ({"interview_office": ""}, "interview_office", "Enter where you were interviewed."),
    ({"date_of_birth": "2999-01-01"}, "date_of_birth", "Enter a real date of birth, in the past."),
    ({"passport_number": "12"}, "passport_number", "Enter the passport number as printed"),
    ({"email": "not an address"}, "email", "Enter a valid email address."),
    ({"question": ""}, "question", "Write your question."),
    ({"question": "x" * 2001}, "question", "at most 2000 characters"),
    ({"question": "hello\x07"}, "question", "Remove the invisible control characters"),
    ({"post": "shanghai"}, "post", "from the list."),
    ({"route_start": "tomorrow"}, "route_start", "Enter a real date."),
    ({"on_behalf": "perhaps"}, "on_behalf", "Choose an answer:"),
])
def test_bad_input_gives_a_field_error_and_stores_nothing(client, tokyo, changes, field, message):
    response = client.post(FORM, inquiry_data(tokyo, **changes))
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body and f'id="id_{field}-error"' in body
    assert not Inquiry.objects.exists() and not OutboundEmail.objects.exists()


def test_a_treaty_trader_company_registration_waits_a_month(client, tokyo):
    start = tokyo.local_today() - dt.timedelta(days=40)
    data = inquiry_data(tokyo, visa_category="treaty_trader", case_number="ETT20240001", route="treaty_trader",
                        route_start=start.isoformat(), interview_office="")
    assert client.post(FORM, data).status_code == 302
    assert Inquiry.objects.get().status == "open"


# The applicant's page -------------------------------------------------------------------------------------


def test_wrong_tokens_see_nothing(client, tokyo):
    from django.core import signing

    inquiry = submitted(tokyo)
    good = inquiry_path(inquiry)
    assert client.get(good).status_code == 200
    other_salt = signing.dumps(["inquiries.inquiry", inquiry.reference, 0], salt="appointments.in-person",
                               compress=True)
    other_model = signing.dumps(["appointments.inpersonrequest", inquiry.reference, 0], salt=SALT, compress=True)
    for token in ("garbage", good.rstrip("/").rsplit("/", 1)[1][:-2] + "xx", other_salt, other_model, "%00"):
        response = client.get(f"/en/inquiries/{token}/")
        assert response.status_code == 404 and inquiry.reference not in response.content.decode()
    Inquiry.objects.filter(pk=inquiry.pk).update(link_version=1)  # a newer link revokes the old one
    assert client.get(good).status_code == 404


# The officers ------------------------------------------------------------------------------------------------


def test_the_queue_is_the_officers_posts_oldest_first_with_the_promised_date_and_overdue(
        client, tokyo, posts, officer_tokyo):
    osaka = posts["osaka-kobe"]
    older, newer = submitted(tokyo), submitted(tokyo, case_number="AA00222222")
    elsewhere = submitted(osaka, case_number="AA00333333", interview_office="Osaka")
    Inquiry.objects.filter(pk=older.pk).update(promised_by=tokyo.local_today() - dt.timedelta(days=1))
    client.force_login(officer_tokyo)
    body = client.get(reverse("admin:inquiries_inquiry_changelist")).content.decode()
    assert body.index(older.reference) < body.index(newer.reference)
    assert elsewhere.reference not in body
    assert body.count('alt="True"') == 1  # only the older one is overdue
    assert client.get(change_url(elsewhere)).status_code in (302, 404)
    assert client.post(decide_url(elsewhere), {"action": "answer", "note": "x"}).status_code == 404


def test_an_officer_finds_an_inquiry_by_reference_case_number_or_email_however_it_is_typed(
        client, tokyo, posts, officer_tokyo):
    inquiry = submitted(tokyo, case_number="AA00222222", email="Applicant.One@Example.com")
    other = submitted(tokyo, case_number="AA00333333", email="someone@example.com")
    elsewhere = submitted(posts["osaka-kobe"], case_number="AA00222222", interview_office="Osaka",
                          email="applicant.one@example.com")
    client.force_login(officer_tokyo)
    code = inquiry.reference.removeprefix("INQ-").replace("-", "").lower()
    for term in (f"inq {code}", " aa00 222222 ", "APPLICANT.ONE@example.COM"):
        body = client.get(reverse("admin:inquiries_inquiry_changelist"), {"q": term, "queue": "all"}).content.decode()
        assert inquiry.reference in body, term
        assert other.reference not in body and elsewhere.reference not in body, term
    # Exact values only: a part of a number or an address lists nothing.
    for term in ("AA00", "example.com"):
        body = client.get(reverse("admin:inquiries_inquiry_changelist"), {"q": term, "queue": "all"}).content.decode()
        assert inquiry.reference not in body and other.reference not in body, term


def test_passport_staff_see_no_inquiries(client, tokyo, passport_staff):
    inquiry = submitted(tokyo)
    client.force_login(passport_staff)
    assert client.get(reverse("admin:inquiries_inquiry_changelist")).status_code == 403
    assert client.get(change_url(inquiry)).status_code == 403


def test_an_officer_answers_with_a_standard_reply_in_the_applicants_language(client, tokyo, officer_tokyo):
    inquiry = submitted(tokyo, language="ja")
    reply = StandardReply.objects.create(post=tokyo, title="Administrative processing",
                                         body="Your case is in administrative processing.",
                                         body_ja="あなたの申請は審査中です。")
    OutboundEmail.objects.all().delete()
    client.force_login(officer_tokyo)
    page = client.get(change_url(inquiry)).content.decode()
    assert 'id="decision-form"' in page and "Administrative processing" in page
    response = client.post(decide_url(inquiry), {"action": "answer", "standard_reply": reply.pk, "note": ""})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == "answered" and inquiry.answer == "あなたの申請は審査中です。"
    assert inquiry.decided_by == officer_tokyo
    email = OutboundEmail.objects.get()
    assert email.template == "inquiry_answer" and email.language == "ja" and email.to == "hanako@example.com"
    assert "あなたの申請は審査中です。" in email.body_text and "QUESTION" not in email.body_text
    assert QUESTION not in email.body_text
    body = client.get(inquiry_path(inquiry).replace("/en/", "/ja/")).content.decode()
    assert "あなたの申請は審査中です。" in body
    # Closed: no second answer.
    assert 'id="decision-form"' not in client.get(change_url(inquiry)).content.decode()
    client.post(decide_url(inquiry), {"action": "answer", "note": "again"})
    assert OutboundEmail.objects.count() == 1


def test_an_answer_needs_a_text_or_a_standard_reply(client, tokyo, officer_tokyo):
    inquiry = submitted(tokyo)
    client.force_login(officer_tokyo)
    response = client.post(decide_url(inquiry), {"action": "answer", "note": "  "})
    assert response.status_code == 200 and "Write the answer, or choose a standard reply." in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == "open"


def test_an_officer_sees_only_the_standard_replies_of_their_posts(client, tokyo, shanghai, officer_tokyo):
    mine = StandardReply.objects.create(post=tokyo, title="Tokyo reply", body="a")
    theirs = StandardReply.objects.create(post=shanghai, title="Shanghai reply", body="b")
    client.force_login(officer_tokyo)
    body = client.get(reverse("admin:inquiries_standardreply_changelist")).content.decode()
    assert mine.title in body and theirs.title not in body
    assert client.get(reverse("admin:inquiries_standardreply_change", args=[theirs.pk])).status_code in (302, 404)


# The daily reminder -------------------------------------------------------------------------------------------


def test_overdue_inquiries_are_in_the_daily_reminder_of_their_posts_officers(tokyo, posts, officer_tokyo,
                                                                               settings):
    from consular_portal.celery import app
    from inquiries.inquiry_reminders import inquiry_overdue_reminders_send

    late, on_time = submitted(tokyo), submitted(tokyo, case_number="AA00444444")
    answered_late = submitted(tokyo, case_number="AA00555555")
    Inquiry.objects.filter(pk__in=[late.pk, answered_late.pk]).update(promised_by=tokyo.local_today()
                                                                      - dt.timedelta(days=2))
    Inquiry.objects.filter(pk=answered_late.pk).update(status="answered")
    OutboundEmail.objects.all().delete()
    assert inquiry_overdue_reminders_send(posts=[tokyo, posts["shanghai"]]) == 2  # mailbox and officer
    reminders = OutboundEmail.objects.filter(template="inquiry_overdue_reminder")
    assert {r.to for r in reminders} == {tokyo.officer_mailbox, officer_tokyo.email}
    for reminder in reminders:
        assert late.reference in reminder.body_text
        assert on_time.reference not in reminder.body_text and answered_late.reference not in reminder.body_text
    task = settings.CELERY_BEAT_SCHEDULE["inquiry-overdue-reminders"]["task"]
    assert task in app.tasks
