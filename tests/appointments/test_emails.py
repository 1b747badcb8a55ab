"""Emails: acknowledgement with a working signed link, officer notification, daily overdue reminder."""

import datetime as dt
import re

import pytest

from appointments.models import ExpediteRequest
from appointments.reminders import overdue_reminders_send
from consular_portal.models import OutboundEmail
from tests.factories import ExpediteRequestFactory, SlotFactory

pytestmark = pytest.mark.django_db


def test_acknowledgement_in_the_applicants_language_with_a_link_that_opens_the_request(client, shanghai_policy):
    request = ExpediteRequestFactory(post=shanghai_policy.post, language="zh-hans", residence_region="CN-SH")
    email = OutboundEmail.objects.get(template="expedite_acknowledgement")
    assert email.to == request.email and email.language == "zh-hans"
    assert request.reference in email.subject and "我们已收到您的加急申请" in email.subject
    assert "1至2个工作日内答复" in email.body_text
    link = re.search(r"http://testserver(/zh-hans/appointments/requests/[^/\s]+/)", email.body_text).group(1)
    page = client.get(link)
    assert page.status_code == 200 and request.reference in page.content.decode()


def test_officer_notification_goes_to_the_posts_mailbox_with_the_flag(shanghai_policy):
    ExpediteRequestFactory(post=shanghai_policy.post, number=1, residence_region="CN-SH",
                           previous_expedite_declared=True)
    email = OutboundEmail.objects.get(template="expedite_officer_notification")
    assert email.to == shanghai_policy.post.officer_mailbox
    assert "already had an expedited appointment" in email.body_text
    assert "/admin/appointments/expediterequest/" in email.body_text


def test_the_daily_reminder_lists_overdue_requests_to_each_posts_officers(officer_tokyo, officer_shanghai,
                                                                          tokyo_policy, shanghai_policy):
    late = ExpediteRequestFactory(post=tokyo_policy.post, number=1)
    on_time = ExpediteRequestFactory(post=tokyo_policy.post, number=2)
    decided = ExpediteRequestFactory(post=tokyo_policy.post, number=3)
    ExpediteRequest.objects.filter(pk__in=[late.pk, decided.pk]).update(promised_by=dt.date(2020, 1, 6))
    ExpediteRequest.objects.filter(pk=decided.pk).update(status="refused")
    ExpediteRequestFactory(post=shanghai_policy.post, number=4, residence_region="CN-SH")
    OutboundEmail.objects.all().delete()
    assert overdue_reminders_send() == 2
    reminders = OutboundEmail.objects.filter(template="expedite_overdue_reminder")
    assert sorted(reminders.values_list("to", flat=True)) == sorted([
        tokyo_policy.post.officer_mailbox, officer_tokyo.email])
    body = reminders.first().body_text
    assert late.reference in body and on_time.reference not in body and decided.reference not in body
    assert overdue_reminders_send(today=dt.date(2019, 1, 1)) == 0


def test_emails_in_chinese_name_the_post_in_chinese(shanghai_policy, django_user_model):
    from appointments.booking import request_approve

    request = ExpediteRequestFactory(post=shanghai_policy.post, language="zh-hans", residence_region="CN-SH")
    officer = django_user_model.objects.create_user(username="officer", password="x-long-password-1")
    request_approve(request=request, officer=officer, slot=SlotFactory(post=shanghai_policy.post))
    for template in ("expedite_acknowledgement", "expedite_decision"):
        email = OutboundEmail.objects.get(template=template)
        sentence = email.body_text.split("\n\n")[1]  # after "Dear …,": the sentence that names the post
        assert email.language == "zh-hans"
        assert "美国驻上海总领事馆" in sentence and "Shanghai" not in sentence, sentence
        assert "美国驻上海总领事馆" in email.body_html
