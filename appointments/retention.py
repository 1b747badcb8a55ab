"""The expedite and in-person requests' retention (``consular_portal.retention``): closed requests, and the proof
sent with a closed expedite request (kept for less time than the request itself), and the proof kept for a request
form never sent (``proof_drafts``), counted from when it was first kept."""

from consular_portal.retention import created_before, register, reviewed_closed

from .models import EarlierExpedite, ExpediteRequest, InPersonRequest, ProofDraft, SupportingDocument


def expedite_keep_earlier(rows):
    """An approved request counts against later requests of the same applicant or organisation for ever: keep
    what that rule needs of it (``EarlierExpedite``) before it goes."""
    approved = rows.filter(status=ExpediteRequest.Status.APPROVED).select_related("post")
    EarlierExpedite.objects.bulk_create([EarlierExpedite.from_request(request) for request in approved])


register(
    "expedite_requests",
    expired=lambda cutoff: reviewed_closed(ExpediteRequest, cutoff),
    before_delete=expedite_keep_earlier,
)
register(
    "expedite_uploads",
    expired=lambda cutoff: SupportingDocument.objects.filter(request__in=reviewed_closed(ExpediteRequest, cutoff)),
)
register("in_person_requests", expired=lambda cutoff: reviewed_closed(InPersonRequest, cutoff))
register("expedite_proof_drafts", expired=lambda cutoff: created_before(ProofDraft, cutoff))
