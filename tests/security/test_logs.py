"""Passport numbers never reach a log in full: not the web process's (request warnings, errors, the outbox),
not the worker's (every task the flows below queue), whatever the flow that carries one — an expedite request
accepted and one sent back, a status inquiry, status lookups of a known, an unknown and a malformed number,
an alert subscription, a status change an officer saves and a CSV import with a bad row."""

import logging
import uuid

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from appointments.models import ExpeditePolicy
from consular_portal.models import OutboundEmail, Post
from consular_portal.tracking.changes import tracking_change
from consular_portal.tracking.imports import import_apply, run_import
from passports.forms import subscribe_number
from passports.models import PassportImport, PassportTracking
from tests.form_data import expedite_form_data
from tests.inquiries.inquiry_data import inquiry_form_data
from tests.site.public_forms import UNLIMITED, proof_files, send

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

KNOWN, UNKNOWN, APPLICANT, ASKER, BAD_ROW = "TK4455667", "ZZ1122334", "TP7654321", "TK9988776", "TK5544332"
NUMBERS = (KNOWN, UNKNOWN, APPLICANT, ASKER, BAD_ROW)


def flows(client, tokyo):
    item = PassportTracking.objects.create(post=tokyo, key=KNOWN, status=PassportTracking.Status.AT_POST)
    policy = ExpeditePolicy.objects.select_related("post").get(post__slug="tokyo")
    request_form = "/en/appointments/tokyo/request/"
    data = expedite_form_data(policy, submission_key=str(uuid.uuid4()), passport_number=APPLICANT)
    accepted = send(client, request_form, list(data.items()), files=proof_files())
    assert accepted.status_code == 302
    sent_back = client.post(request_form, {**expedite_form_data(
        policy, submission_key=str(uuid.uuid4()), passport_number=APPLICANT), "full_name": ""})
    assert sent_back.status_code == 400
    assert client.post("/en/inquiries/ask/", inquiry_form_data(tokyo, passport_number=ASKER)).status_code == 302
    for number in (KNOWN, UNKNOWN, KNOWN + "x" * 40, f"{KNOWN}\x00"):
        assert client.get("/en/passports/status/", {"number": number}).status_code in (200, 400)
    subscribed = client.post("/en/passports/alerts/", {"number": subscribe_number(KNOWN), "email": "a@example.com"})
    assert subscribed.status_code in (200, 302)
    tracking_change(item=item, status=PassportTracking.Status.PROCESSING, actor=None)
    csv = (f"passport_number,post,status,letter_pack_number,date\n{BAD_ROW},tokyo,no-such-status,,\n"
           f"{KNOWN},tokyo,out_for_delivery,1234-5678-9012,\n")
    job = PassportImport.objects.create(post=tokyo, file=ContentFile(csv.encode(), name="statuses.csv"))
    assert run_import("passports.PassportImport", job.pk) == "ready"  # what the worker runs, with its logging
    assert import_apply(job=PassportImport.objects.get(pk=job.pk), user=None)
    run_import("passports.PassportImport", job.pk)


@pytest.fixture
def tokyo_with_policies(policies, inquiry_policies):
    """Tokyo with its expedite and status-inquiry policies (a transactional test before may have emptied them)."""
    return Post.objects.get(slug="tokyo")


def test_no_log_holds_a_whole_passport_number(settings, caplog, celery_worker, mailbox, tokyo_with_policies):
    for name, rate in UNLIMITED.items():
        setattr(settings, name, rate)
    since = celery_worker.log_position()
    caplog.set_level(logging.DEBUG)
    flows(Client(raise_request_exception=False), tokyo_with_policies)
    queued = OutboundEmail.objects.count()
    assert queued >= 4  # acknowledgements, officers' notices, the alert's confirmation
    mailbox.wait_for(queued, timeout=60)  # every task the flows queued has run in the worker

    web = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    worker = celery_worker.output()[since:]
    assert web and worker  # both logs were written to while the flows ran
    for log, text in (("web process", web), ("worker", worker)):
        found = [number for number in NUMBERS if number in text]
        assert not found, f"the {log}'s log holds {found}"
