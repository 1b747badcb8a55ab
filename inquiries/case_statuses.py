"""The statuses of a case found by its receipt number, what each means in plain language and what to do
next; and what the online account offers, which depends on how the case was filed. The status page, the
alerts and the admin all say them from here."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Case Was Received")
    BIOMETRICS_SCHEDULED = "biometrics_scheduled", _("Biometrics Appointment Was Scheduled")
    EVIDENCE_REQUESTED = "evidence_requested", _("Request for Evidence Was Sent")
    EVIDENCE_RECEIVED = "evidence_received", _("Response To Request for Evidence Was Received")
    INTERVIEW_SCHEDULED = "interview_scheduled", _("Interview Was Scheduled")
    IN_REVIEW = "in_review", _("Case Is Being Actively Reviewed")
    TRANSFERRED = "transferred", _("Case Was Transferred")
    APPROVED = "approved", _("Case Was Approved")
    DOCUMENT_MAILED = "document_mailed", _("Document Was Mailed")
    DENIED = "denied", _("Case Was Denied")


_OPEN = (CaseStatus.BIOMETRICS_SCHEDULED, CaseStatus.EVIDENCE_REQUESTED, CaseStatus.INTERVIEW_SCHEDULED,
         CaseStatus.IN_REVIEW, CaseStatus.TRANSFERRED, CaseStatus.APPROVED, CaseStatus.DENIED)


def _open_but(status):
    return tuple(other for other in _OPEN if other != status)


# Which status may follow which (keeping a status, with a note, is always allowed; a new case may start in
# any status). While a case is open any step of the work may follow another, in the order the case needs;
# a request for evidence is followed by its response (or by a decision on the evidence there is). A
# decision is final but for reopening (back in review); a document is mailed only after an approval.
TRANSITIONS = {
    CaseStatus.RECEIVED: _OPEN,
    CaseStatus.BIOMETRICS_SCHEDULED: _open_but(CaseStatus.BIOMETRICS_SCHEDULED),
    CaseStatus.EVIDENCE_REQUESTED: (CaseStatus.EVIDENCE_RECEIVED, CaseStatus.IN_REVIEW, CaseStatus.TRANSFERRED,
                                    CaseStatus.APPROVED, CaseStatus.DENIED),
    CaseStatus.EVIDENCE_RECEIVED: _OPEN,
    CaseStatus.INTERVIEW_SCHEDULED: _open_but(CaseStatus.INTERVIEW_SCHEDULED),
    CaseStatus.IN_REVIEW: _open_but(CaseStatus.IN_REVIEW),
    CaseStatus.TRANSFERRED: _open_but(CaseStatus.TRANSFERRED),
    CaseStatus.APPROVED: (CaseStatus.DOCUMENT_MAILED, CaseStatus.IN_REVIEW),
    CaseStatus.DOCUMENT_MAILED: (),
    CaseStatus.DENIED: (CaseStatus.IN_REVIEW,),
}


@dataclass(frozen=True)
class CaseStatusText:
    meaning: str
    advice: str


WAIT = _("You do not need to do anything now. We will write to you if we need something from you.")

TEXT = {
    CaseStatus.RECEIVED: CaseStatusText(
        _("We received your case and mailed you a receipt notice. Your case is in the queue to be processed."),
        _("Keep your receipt notice. See the processing time for your service: we accept a question about "
          "your case from its case inquiry date."),
    ),
    CaseStatus.BIOMETRICS_SCHEDULED: CaseStatusText(
        _("We scheduled an appointment to take your fingerprints and photograph and mailed you a notice with "
          "its date, time and place."),
        _("Go to the appointment with the notice and your passport. If you cannot attend, ask to reschedule "
          "before the appointment date."),
    ),
    CaseStatus.EVIDENCE_REQUESTED: CaseStatusText(
        _("We need more evidence to decide your case. We mailed you a request that says what we need and by "
          "when."),
        _("Send what the request asks for by the date it gives, with a copy of the request on top. If you do "
          "not respond in time, your case may be decided on the evidence we have."),
    ),
    CaseStatus.EVIDENCE_RECEIVED: CaseStatusText(
        _("We received your response to our request for evidence. Your case is back in the queue."),
        WAIT,
    ),
    CaseStatus.INTERVIEW_SCHEDULED: CaseStatusText(
        _("We scheduled an interview for your case and mailed you a notice with its date, time and place."),
        _("Go to the interview with the notice, your passport and the documents the notice lists."),
    ),
    CaseStatus.IN_REVIEW: CaseStatusText(
        _("An officer is reviewing your case."),
        WAIT,
    ),
    CaseStatus.TRANSFERRED: CaseStatusText(
        _("We transferred your case to another office, which will continue to process it. We mailed you a "
          "notice."),
        _("Keep using the same receipt number: its status continues here."),
    ),
    CaseStatus.APPROVED: CaseStatusText(
        _("We approved your case and mailed you an approval notice."),
        _("Follow the instructions in the approval notice. If a document is to be produced, its status changes "
          "when it is mailed."),
    ),
    CaseStatus.DOCUMENT_MAILED: CaseStatusText(
        _("We mailed your document to the address we have for you."),
        _("If it has not arrived within 30 days, contact us. Keep your address current so that mail reaches "
          "you."),
    ),
    CaseStatus.DENIED: CaseStatusText(
        _("We denied your case and mailed you a decision that explains why and what you can do."),
        _("Read the decision: it says whether you may appeal or ask us to reopen or reconsider, and by when."),
    ),
}


def text(status):
    return TEXT[CaseStatus(status)]


@dataclass(frozen=True)
class AccountText:
    """What the online account means for a case, by how it was filed (the receipt number's prefix)."""

    kind: str  # "online" or "paper"
    heading: str
    paragraphs: tuple


ONLINE_ACCOUNT = AccountText(
    "online",
    _("Your case and the online account"),
    (
        _("Your receipt number begins with IOE. If you submitted a paper form, we mailed you a letter about "
          "creating an online account. That letter has user codes, valid for 90 days, that you need to create "
          "the account."),
        _("With an account you can sign up for automatic case alerts, see processing times, upload evidence, "
          "update your address and send us secure messages from any device. It is also the better and faster "
          "way to update your address."),
    ),
)

PAPER_ACCOUNT = AccountText(
    "paper",
    _("Add your paper-filed case to an online account"),
    (
        _("Your receipt number does not begin with IOE: your case was filed on paper. You can create an "
          "online account and add your paper-filed case to it with this receipt number, to receive automatic "
          "case alerts."),
        _("You can also get an email from this page when the status changes, below."),
    ),
)


def account_text(key):
    """The explanation for the normalised receipt number ``key``: the online account letter for IOE, how to
    add a paper-filed case otherwise."""
    from .receipts import is_online_case

    return ONLINE_ACCOUNT if is_online_case(key) else PAPER_ACCOUNT
