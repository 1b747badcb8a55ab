"""A request form sent back with errors keeps the proof already sent (``appointments/proof_drafts.py``): listed by
name, removable, attached when the form is sent, reachable only with its own form's signed key, purged when
abandoned."""

import datetime as dt
import re
import uuid

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from appointments import proof_drafts
from appointments.models import ExpediteRequest, ProofDraft, ProofDraftFile, SupportingDocument
from consular_portal import retention
from tests.factories import pdf_bytes, pdf_upload
from tests.form_data import expedite_form_data

pytestmark = pytest.mark.django_db
FORM = "/en/appointments/shanghai/request/"
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def draft_key(body):
    match = re.search(r'name="proof_draft" value="([^"]+)"', body)
    return match[1] if match else None


def sent_back(client, policy, **changes):
    """The form sent with a valid proof and no email: the 400 page's body and the form's data."""
    data = expedite_form_data(policy, email=None, submission_key=str(uuid.uuid4()), **changes)
    response = client.post(FORM, {**data, "proof": pdf_upload(name="school-letter.pdf")})
    assert response.status_code == 400
    return response.content.decode(), data


def stored_files():
    return sorted(str(path.relative_to(settings.MEDIA_ROOT)) for path in settings.MEDIA_ROOT.rglob("*")
                  if path.is_file())


def test_a_form_sent_back_lists_the_proof_it_kept_by_name(client, shanghai_policy):
    body, _data = sent_back(client, shanghai_policy)
    assert "We kept the proof you already sent" in body and "school-letter.pdf" in body
    assert 'name="proof_remove" value="proof"' in body
    kept = ProofDraftFile.objects.get()
    assert kept.original_name == "school-letter.pdf" and kept.draft.post == shanghai_policy.post
    assert kept.file.name.startswith("drafts/") and stored_files() == [kept.file.name]
    assert "school-letter" not in kept.file.name
    assert kept.file.name not in body  # named, never served back


def test_the_proof_field_stays_a_required_question_for_this_form_and_the_next(client, shanghai_policy):
    """A kept file excuses the field in its own form only: the field's kept markup, shared by every form of
    the policy, is still that of a required field."""
    body, data = sent_back(client, shanghai_policy)
    again = client.post(FORM, {**data, "proof_draft": draft_key(body)}).content.decode()  # the email still missing
    assert "school-letter.pdf" in again and 'for="id_proof">Proof</label>' in again
    other = client.post(FORM, expedite_form_data(shanghai_policy, email=None)).content.decode()
    assert 'for="id_proof">Proof</label>' in other and "school-letter.pdf" not in other


def test_fixing_the_error_sends_the_request_with_the_kept_proof_without_choosing_it_again(
        client, shanghai_policy, django_capture_on_commit_callbacks):
    body, data = sent_back(client, shanghai_policy)
    draft_file = ProofDraftFile.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM, {**data, "email": "li.wei@example.com", "proof_draft": draft_key(body)})
    assert response.status_code == 302
    document = SupportingDocument.objects.get(request=ExpediteRequest.objects.get())
    assert document.original_name == "school-letter.pdf" and document.pages == 1
    with document.file.open("rb") as stored:
        assert stored.read() == pdf_bytes()
    assert not ProofDraft.objects.exists() and not ProofDraftFile.objects.exists()
    assert stored_files() == [document.file.name] and draft_file != document.file.name


def test_a_kept_file_ticked_remove_is_dropped_and_the_proof_is_asked_for_again(
        client, shanghai_policy, django_capture_on_commit_callbacks):
    body, data = sent_back(client, shanghai_policy)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM, {**data, "email": "li.wei@example.com", "proof_draft": draft_key(body),
                                      "proof_remove": "proof"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "school-letter.pdf" not in page and "We kept the proof" not in page
    assert not ExpediteRequest.objects.exists() and not ProofDraftFile.objects.exists()
    assert stored_files() == []


def test_a_new_file_replaces_the_kept_one(client, shanghai_policy, django_capture_on_commit_callbacks):
    body, data = sent_back(client, shanghai_policy)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM, {**data, "email": "li.wei@example.com", "proof_draft": draft_key(body),
                                      "proof": pdf_upload(name="new-letter.pdf")})
    assert response.status_code == 302
    assert [d.original_name for d in SupportingDocument.objects.all()] == ["new-letter.pdf"]
    assert len(stored_files()) == 1


@pytest.mark.parametrize("key", ["tampered", "foreign_form", "forged"])
def test_a_tampered_or_foreign_key_attaches_nothing_and_shows_nothing(client, shanghai_policy, key):
    body, data = sent_back(client, shanghai_policy)
    token = draft_key(body)
    fixed = {**data, "email": "li.wei@example.com"}
    if key == "tampered":
        fixed["proof_draft"] = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    elif key == "foreign_form":  # the key copied into another applicant's form
        fixed["proof_draft"], fixed["submission_key"] = token, str(uuid.uuid4())
    else:  # a key signed for another draft's reference, guessed
        fixed["proof_draft"] = proof_drafts.draft_token(ProofDraft(reference="guessed"))
    response = client.post(FORM, fixed)
    assert response.status_code == 400  # the proof is asked for: nothing was attached
    assert "school-letter.pdf" not in response.content.decode()
    assert not ExpediteRequest.objects.exists() and not SupportingDocument.objects.exists()


def test_a_kept_page_and_a_new_page_count_together(client, shanghai_policy):
    body, data = sent_back(client, shanghai_policy)
    response = client.post(FORM, {**data, "email": "li.wei@example.com", "proof_draft": draft_key(body),
                                  "proof_second_page": pdf_upload(pages=2, name="second.pdf")})
    assert response.status_code == 400
    assert "Send at most 2 pages of proof in all." in response.content.decode()
    assert not ExpediteRequest.objects.exists()


def test_more_member_rows_keeps_the_proof_chosen(client, shanghai_policy):
    data = expedite_form_data(shanghai_policy, submission_key=str(uuid.uuid4()))
    response = client.post(FORM, {**data, "more_members": "1", "proof": pdf_upload(name="school-letter.pdf"),
                                  "proof_second_page": SimpleUploadedFile("x.pdf", b"not a pdf")})
    body = response.content.decode()
    assert response.status_code == 200 and "school-letter.pdf" in body and "x.pdf" not in body
    response = client.post(FORM, {**data, "proof_draft": draft_key(body)})
    assert response.status_code == 302
    assert [d.original_name for d in SupportingDocument.objects.all()] == ["school-letter.pdf"]


def test_an_abandoned_draft_is_purged_with_its_files_at_the_end_of_its_period(
        client, shanghai_policy, django_capture_on_commit_callbacks):
    sent_back(client, shanghai_policy)
    draft = ProofDraft.objects.get()
    name = ProofDraftFile.objects.get().file.name
    days = settings.RETENTION_DAYS["expedite_proof_drafts"]
    assert days == 1
    end = draft.created_at + days * DAY
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.purge("expedite_proof_drafts", now=end - dt.timedelta(seconds=1)) == 0
    assert ProofDraft.objects.exists() and default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.purge("expedite_proof_drafts", now=end) == 1
    assert not ProofDraft.objects.exists() and not ProofDraftFile.objects.exists()
    assert not default_storage.exists(name) and stored_files() == []


def test_a_draft_past_its_period_is_not_attached_even_before_the_purge(client, shanghai_policy):
    body, data = sent_back(client, shanghai_policy)
    ProofDraft.objects.update(created_at=ProofDraft.objects.get().created_at - DAY)
    response = client.post(FORM, {**data, "email": "li.wei@example.com", "proof_draft": draft_key(body)})
    assert response.status_code == 400 and "school-letter.pdf" not in response.content.decode()
    assert not SupportingDocument.objects.exists()
