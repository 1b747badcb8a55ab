"""Data of the expedite service: the policy of each post, the requests, their members and proof, the slots."""

from .drafts import ProofDraft, ProofDraftFile
from .earlier_expedites import EarlierExpedite
from .in_person import (
    InPersonDeclineReason,
    InPersonReason,
    InPersonRequest,
    InPersonRequestEvent,
    InPersonUrgency,
)
from .policy import ExpediteCategory, ExpediteExclusion, ExpeditePolicy, VisaClass, WindowKind
from .requests import (
    ExpediteRequest,
    GroupMember,
    InvalidTransition,
    RefusalReason,
    RequestEvent,
    SupportingDocument,
)
from .slots import AppointmentSlot

__all__ = [
    "AppointmentSlot",
    "EarlierExpedite",
    "ExpediteCategory",
    "ExpediteExclusion",
    "ExpeditePolicy",
    "ExpediteRequest",
    "GroupMember",
    "InPersonDeclineReason",
    "InPersonReason",
    "InPersonRequest",
    "InPersonRequestEvent",
    "InPersonUrgency",
    "InvalidTransition",
    "ProofDraft",
    "ProofDraftFile",
    "RefusalReason",
    "RequestEvent",
    "SupportingDocument",
    "VisaClass",
    "WindowKind",
]
