"""What every email says, whoever it goes to.

An address an applicant typed may be anyone's: those emails quote nothing the applicant typed and each says
that the portal never asks for payment and whom to contact. Emails to staff may quote typed text, marked as
sent by the public and never made a link. Plain-text parts show text as typed; HTML parts escape it.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from appointments.booking import (
    appointment_cancel,
    appointment_reschedule,
    appointment_withdraw,
    request_approve,
    request_refuse,
)
from appointments.in_person_booking import in_person_accept, in_person_decline
from appointments.models import ExpediteRequest, InPersonRequest, RefusalReason
from consular_portal import outbox
from consular_portal.fraud import fraud_report_submit
from consular_portal.models import FraudReport, OutboundEmail
from consular_portal.tracking.alerts import subscription_confirm
from consular_portal.tracking.changes import tracking_change
from inquiries.assistance import assistance_answer
from inquiries.inquiry_rules import inquiry_answer, inquiry_withdraw
from inquiries.models import LiveAssistanceRequest
from passports import alerts
from passports.models import PassportTracking

from .factories import ExpediteRequestFactory, SlotFactory, in_person_request, live_assistance_request, member
from .inquiries.inquiry_data import status_inquiry

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates" / "emails", ROOT / "appointments" / "templates" / "emails",
                 ROOT / "inquiries" / "templates" / "emails"]
LAYOUTS = {"base", "applicant_base", "autoreply_base"}
# Every email template is one of these; a new template fails the first test until it is sorted here.
TO_APPLICANTS = {"expedite_acknowledgement", "expedite_decision", "passport_alert_confirm", "passport_status_alert",
                 "passport_pickup_reminder", "case_alert_confirm", "case_status_alert"}
# Automatic replies to whoever wrote to a status address (tests/passports/test_autoreply.py).
TO_SENDERS = {"passport_status_reply", "passport_status_instructions"}
TO_STAFF = {"expedite_officer_notification", "expedite_overdue_reminder", "fraud_report", "test_message"}
# In-person appointment requests (appointments/in_person_emails.py).
TO_APPLICANTS |= {"in_person_acknowledgement", "in_person_decision"}
TO_STAFF |= {"in_person_officer_notification", "in_person_overdue_reminder"}
# Withdrawn, cancelled and moved appointments (appointments/appointment_emails.py).
TO_APPLICANTS |= {"appointment_withdrawn", "appointment_cancelled", "appointment_rescheduled"}
TO_STAFF |= {"appointment_withdrawn_officers"}
# Live-assistance requests (inquiries/assistance_emails.py).
TO_APPLICANTS |= {"live_assistance_acknowledgement", "live_assistance_answer"}
TO_STAFF |= {"live_assistance_officer_notification"}
# Status inquiries (inquiries/inquiry_emails.py).
TO_APPLICANTS |= {"inquiry_acknowledgement", "inquiry_answer", "inquiry_withdrawn"}
TO_STAFF |= {"inquiry_officer_notification", "inquiry_overdue_reminder", "inquiry_withdrawn_officers"}

NO_PAYMENT = "The Consular Portal never asks you for payment."
PUBLIC_TEXT = "Text sent by the public, not checked: do not open links or follow instructions in it."
TYPED = "Applicant. URGENT: your visa was refused - pay the USD 300 fee at https://evil.example/pay in 24 hours"
TYPED_SHORT = "URGENT https://evil.example/pay"
TYPED_MARKS = ("URGENT", "evil.example", "USD 300")
RAW = "O'Brien & <b>Sons</b>"


def email_templates():
    names = {path.name.removesuffix(".html") for folder in TEMPLATE_DIRS for path in folder.glob("*.html")}
    return names - LAYOUTS


def test_every_email_is_either_to_an_applicant_or_to_staff():
    assert email_templates() == TO_APPLICANTS | TO_STAFF | TO_SENDERS
    for names, layout in ((TO_APPLICANTS, "applicant_base"), (TO_SENDERS, "autoreply_base")):
        for name in names:
            for ext in ("txt", "html"):
                source = next(folder / f"{name}.{ext}" for folder in TEMPLATE_DIRS
                              if (folder / f"{name}.{ext}").exists())
                assert source.read_text().startswith(f'{{% extends "emails/{layout}.{ext}" %}}'), source


def hostile_group_request(post, *, number, language):
    """A group request whose every free-text field carries a phishing text, sent to a stranger's address."""
    return ExpediteRequestFactory(
        post=post, number=number, language=language, travel_in_days=30,
        full_name=TYPED, justification=TYPED, email=f"stranger{number}@example.com",
        appointment_number=TYPED_SHORT, previous_visa="refused", previous_visa_place=TYPED,
        previous_visas_notes=TYPED, residence_places=TYPED, work_places=TYPED, organisation=TYPED,
        is_group=True, organiser_name=TYPED, organiser_phone="+81 3 1234 5679",
        organiser_email=f"organiser{number}@example.com",
        members=[member(1, full_name=TYPED, date_of_birth="1991-02-03", ds160_number=f"BB{number:08d}",
                        previous_visas=TYPED)],
    )


def subscribe_to_passport_alerts(post, *, language, email):
    """A passport's subscriber: confirmed, alerted of its delivery to a post office, then reminded."""
    item = PassportTracking.objects.create(post=post, key="TK7654321", status_changed_at=timezone.now(),
                                           delivery=PassportTracking.Delivery.POST_OFFICE)
    subscription = alerts.subscription_request(number=item.key, email=email, language=language)
    subscription_confirm(subscription=subscription)
    tracking_change(item=item, status=PassportTracking.Status.DELIVERED, actor=None)
    PassportTracking.objects.filter(pk=item.pk).update(status_changed_at=timezone.now() - dt.timedelta(
        days=settings.PASSPORT_PICKUP_HOLD_DAYS - settings.PASSPORT_PICKUP_REMINDER_DAYS, hours=1))
    assert alerts.pickup_reminders_send() == 1


def subscribe_to_case_alerts(post, *, language, email):
    """A case's subscriber: confirmed, then alerted of its approval."""
    from consular_portal.tracking.alerts import subscription_request
    from inquiries.models import Case, CaseSubscription

    item = Case.objects.create(post=post, key="EAC2112345678", status=Case.Status.IN_REVIEW,
                               status_changed_at=timezone.now())
    subscription_confirm(subscription=subscription_request(subscriptions=CaseSubscription, item=item, email=email,
                                                           language=language))
    tracking_change(item=item, status=Case.Status.APPROVED, actor=None)


@pytest.mark.parametrize("language", ["en", "ja", "zh-hans"])
def test_emails_to_typed_addresses_quote_nothing_typed_and_say_the_portal_never_asks_for_payment(
    officer_tokyo, tokyo_policy, language
):
    post = tokyo_policy.post
    approved = hostile_group_request(post, number=1, language=language)
    request_approve(request=approved, officer=officer_tokyo, slot=SlotFactory(post=post))
    refused = hostile_group_request(post, number=2, language=language)
    request_refuse(request=refused, officer=officer_tokyo, reason=RefusalReason.NOT_URGENT)
    fraud_report_submit(post=post, kind="other", description=TYPED, language=language,
                        fraudster_contact=TYPED_SHORT, reporter_name=TYPED, reporter_email="reporter@example.com")

    subscribe_to_passport_alerts(post, language=language, email="subscriber@example.com")
    booked, declined = (in_person_request(post, n, language=language, details=TYPED, full_name=TYPED)
                        for n in (1, 2))
    in_person_accept(request=booked, officer=officer_tokyo, slot=SlotFactory(post=post, hour=10), note="")
    in_person_decline(request=declined, officer=officer_tokyo, reason="no_space")
    appointment_withdraw(request=approved)  # to the applicant and the organiser
    appointment_reschedule(request=booked, officer=officer_tokyo, slot=SlotFactory(post=post, hour=11))
    cancelled = in_person_request(post, 5, language=language, details=TYPED, full_name=TYPED)
    in_person_accept(request=cancelled, officer=officer_tokyo, slot=SlotFactory(post=post, hour=12), note="")
    appointment_cancel(request=cancelled, officer=officer_tokyo, note="The consular section is closed that day.")
    subscribe_to_case_alerts(post, language=language, email="subscriber@example.com")
    waiting, answered = (live_assistance_request(post, n, language=language, details=TYPED, full_name=TYPED)
                         for n in (3, 4))
    assistance_answer(request=answered, officer=officer_tokyo, answer="Your card was mailed again.")

    typed_addresses = {r.email for r in (approved, refused)} | {r.organiser_email for r in (approved, refused)}
    typed_addresses.add("subscriber@example.com")
    typed_addresses |= {booked.email, declined.email, cancelled.email}
    typed_addresses |= {waiting.email, answered.email}
    inquiry = status_inquiry(post, language=language, full_name=TYPED, question=TYPED, interview_office=TYPED,
                             email="inquirer@example.com")
    inquiry_answer(inquiry=inquiry, officer=officer_tokyo, text="Your case is in administrative processing.")
    typed_addresses.add(inquiry.email)
    withdrawn = status_inquiry(post, language=language, full_name=TYPED, question=TYPED, interview_office=TYPED,
                               email="inquirer@example.com", case_number="AA00444444")
    inquiry_withdraw(withdrawn)
    to_applicants = OutboundEmail.objects.exclude(to__in=[post.officer_mailbox, officer_tokyo.email])
    assert set(to_applicants.values_list("to", flat=True)) == typed_addresses  # the reporter gets no email
    assert set(to_applicants.values_list("template", flat=True)) == TO_APPLICANTS  # the walk saw every one
    # Two requests: acknowledgement and decision, to applicant and organiser; and a passport's subscriber:
    # confirmation, alert and pickup reminder; and a case's subscriber: confirmation and alert; and two in-person
    # requests: acknowledgement and decision; and two live-assistance requests: acknowledgement, and one answer;
    # and a status inquiry: acknowledgement and answer; and one withdrawn: acknowledgement and confirmation.
    assert to_applicants.count() == 22 + 6 + 2  # withdrawn (2), moved (1), booked and cancelled (3)

    with translation.override(language):
        notice = gettext(NO_PAYMENT)
    for email in to_applicants:
        for part in (email.subject, email.body_text, email.body_html):
            assert not [mark for mark in TYPED_MARKS if mark in part], (email.template, part)
        assert email.language == language
        assert notice in email.body_text and escape(notice) in email.body_html
        assert 'data-notice="no-payment"' in email.body_html
        assert post.email in email.body_text and post.email in email.body_html
        # The only link is the portal's own.
        own = (f"{settings.SITE_URL}/", "http://testserver/")  # links on SITE_URL, and the request's host
        assert all(href.startswith(own) for href in re.findall(r'href="([^"]*)"', email.body_html))
        if language == "en":
            assert email.body_text.startswith("Dear applicant,")
            assert NO_PAYMENT in email.body_text and "do not pay: contact the U.S. Embassy Tokyo" in email.body_text


def test_the_fraud_report_to_the_officers_marks_the_typed_text_and_makes_no_link_of_it(posts):
    report = fraud_report_submit(post=posts["tokyo"], kind="other", description=TYPED, language="ja",
                                 fraudster_contact=TYPED_SHORT, reporter_name=TYPED)
    email = OutboundEmail.objects.get()
    assert email.to == posts["tokyo"].officer_mailbox and report.reference in email.subject
    assert "URGENT" not in email.subject
    text_before, marked = email.body_text.split(PUBLIC_TEXT)
    assert "URGENT" not in text_before and TYPED in marked and TYPED_SHORT in marked
    public = email.body_html.split('<div data-public-text', 1)[1].split("</div>", 1)[0]
    assert PUBLIC_TEXT in public and TYPED in public
    assert "<a" not in email.body_html
    assert FraudReport.objects.get().description == TYPED


def in_person_contexts(post, request):
    """The in-person request emails' contexts, every string in them ``RAW``."""
    return {
        "in_person_acknowledgement": {"request": request, "post": post, "link": "http://testserver/r/x/"},
        "in_person_decision": {"request": request, "post": post, "link": "http://testserver/r/x/"},
        "in_person_officer_notification": {"request": request, "post": post, "admin_url": "http://testserver/a/"},
        "in_person_overdue_reminder": {"post": post, "requests": [request], "queue_url": "http://testserver/q/"},
    }


def appointment_change_contexts(post, request):
    """The withdrawn, cancelled and moved appointment emails' contexts, every string in them ``RAW``."""
    link = "http://testserver/r/x/"
    return {
        "appointment_withdrawn": {"request": request, "post": post, "link": link, "slot": request.slot},
        "appointment_cancelled": {"request": request, "post": post, "link": link, "slot": request.slot},
        "appointment_rescheduled": {"request": request, "post": post, "link": link, "slot": request.slot,
                                    "previous_slot": request.slot},
        "appointment_withdrawn_officers": {"request": request, "post": post, "admin_url": "http://testserver/a/",
                                           "slot": request.slot},
    }


def live_assistance_contexts(post, request):
    """The live-assistance emails' contexts, every string in them ``RAW``."""
    return {
        "live_assistance_acknowledgement": {"request": request, "post": post, "link": "http://testserver/r/x/"},
        "live_assistance_answer": {"request": request, "post": post, "link": "http://testserver/r/x/"},
        "live_assistance_officer_notification": {"request": request, "post": post,
                                                 "admin_url": "http://testserver/a/"},
    }


def inquiry_contexts(post, inquiry):
    """The status inquiry emails' contexts, every string in them ``RAW``."""
    return {
        "inquiry_acknowledgement": {"inquiry": inquiry, "post": post, "link": "http://testserver/r/x/"},
        "inquiry_answer": {"inquiry": inquiry, "post": post, "link": "http://testserver/r/x/"},
        "inquiry_officer_notification": {"inquiry": inquiry, "post": post, "admin_url": "http://testserver/a/"},
        "inquiry_overdue_reminder": {"post": post, "inquiries": [inquiry], "queue_url": "http://testserver/q/"},
        "inquiry_withdrawn": {"inquiry": inquiry, "post": post, "link": "http://testserver/r/x/"},
        "inquiry_withdrawn_officers": {"inquiry": inquiry, "post": post, "admin_url": "http://testserver/a/"},
    }


def hostile_contexts(post, request, report):
    """A context for every email template, every string in it ``RAW``."""
    return {
        "expedite_acknowledgement": {"request": request, "post": post, "link": "http://testserver/r/x/",
                                     "policy": post.expedite_policy},
        "expedite_decision": {"request": request, "post": post, "link": "http://testserver/r/x/"},
        "expedite_officer_notification": {"request": request, "post": post, "admin_url": "http://testserver/a/",
                                          "flags": [RAW]},
        "expedite_overdue_reminder": {"post": post, "requests": [request], "queue_url": "http://testserver/q/"},
        "fraud_report": {"report": report, "post": post},
        "test_message": {},
        "passport_status_reply": {"languages": ["en"], "status_address": RAW, "sections": [
            {"language": "en", "masked_number": "••••4567", "status": "returned", "label": RAW, "meaning": RAW,
             "advice": RAW, "changed_at": None, "letter_pack_number": None, "letter_pack_url": None,
             "phone_numbers": [(RAW, "+81 3 0000 0000")]}]},
        "passport_status_instructions": {"languages": ["en"], "status_address": RAW},
        **{name: {"post": post, "answer": PASSPORT_ANSWER, "confirm_link": "http://testserver/c/x/",
                  "unsubscribe_link": "http://testserver/u/x/", "return_date": timezone.now()}
           for name in ("passport_alert_confirm", "passport_status_alert", "passport_pickup_reminder")},
        **{name: {"post": post, "answer": CASE_ANSWER, "confirm_link": "http://testserver/c/x/",
                  "unsubscribe_link": "http://testserver/u/x/"}
           for name in ("case_alert_confirm", "case_status_alert")},
    }


CASE_ANSWER = {"masked_number": "EAC••••5678", "status": "approved", "label": RAW, "meaning": RAW, "advice": RAW}
PASSPORT_ANSWER = {"masked_number": "••••4567", "status": "returned", "label": RAW, "meaning": RAW, "advice": RAW,
                   "letter_pack_number": None, "phone_numbers": [(RAW, "+81 3 0000 0000")]}


def with_raw_strings(obj, keep=()):
    """``obj`` with every free-text field set to ``RAW`` (in memory only)."""
    for field in obj._meta.concrete_fields:
        if field.get_internal_type() in ("CharField", "TextField") and not field.choices and field.name not in keep:
            setattr(obj, field.name, RAW)
    return obj


def test_text_parts_show_text_as_typed_and_html_parts_escape_it(tokyo_policy):
    post = tokyo_policy.post
    approved = hostile_group_request(post, number=1, language="en")
    report = fraud_report_submit(post=post, kind="other", description="x", language="en")
    request = with_raw_strings(ExpediteRequest.objects.get(pk=approved.pk), keep=("language",))
    report = with_raw_strings(report, keep=("language",))
    post = with_raw_strings(request.post, keep=("slug", "country", "time_zone"))
    post.phone_numbers = [{"label": RAW, "number": "+81 3 0000 0000"}]
    request.category.name = RAW
    in_person = in_person_request(post, language="en")
    in_person_accept(request=in_person, officer=None, slot=SlotFactory(post=post, hour=10))
    in_person = with_raw_strings(InPersonRequest.objects.select_related("slot").get(pk=in_person.pk),
                                 keep=("language",))
    assistance = with_raw_strings(LiveAssistanceRequest.objects.get(pk=live_assistance_request(post).pk),
                                  keep=("language",))
    inquiry = with_raw_strings(status_inquiry(tokyo_policy.post), keep=("language",))
    contexts = {**hostile_contexts(post, request, report), **in_person_contexts(post, in_person),
                **appointment_change_contexts(post, in_person),
                **live_assistance_contexts(post, assistance), **inquiry_contexts(post, inquiry)}
    assert set(contexts) == email_templates()
    for template, context in contexts.items():
        subject, text, html = outbox.render_email(template, context, "en")
        for part in (subject, text):
            assert not re.search(r"&(amp|lt|gt|quot|#x27|#39);", part), (template, part)
        assert "<b>Sons</b>" not in html, template
        if template != "test_message":
            assert RAW in text and escape(RAW) in html, template
    subject, text, _html = outbox.render_email("fraud_report", contexts["fraud_report"], "en")
    assert RAW in subject  # the reference, as plain text
    assert text.count(RAW) >= 4  # the description, the contact, the reporter's name and address
