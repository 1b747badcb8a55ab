"""The retention of status inquiries, live-assistance requests and case statuses (``consular_portal.retention``)."""

from consular_portal.retention import register, reviewed_closed, tracked_closed

from .case_statuses import CaseStatus
from .models import Case, Inquiry, LiveAssistanceRequest

# A case is closed once decided or its document mailed. A decision may be reopened (back in review): a case
# reopened before its period has passed is open again, and its period starts again at its next decision.
CASE_CLOSED = (CaseStatus.APPROVED, CaseStatus.DENIED, CaseStatus.DOCUMENT_MAILED)

register("inquiries", expired=lambda cutoff: reviewed_closed(Inquiry, cutoff))
register("live_assistance_requests", expired=lambda cutoff: reviewed_closed(LiveAssistanceRequest, cutoff))
register("cases", expired=lambda cutoff: tracked_closed(Case, CASE_CLOSED, cutoff))
