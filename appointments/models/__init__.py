"""Data of the expedite service: the policy of each post, the requests, their members and proof, the slots."""

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
    "ExpediteCategory",
    "ExpediteExclusion",
    "ExpeditePolicy",
    "ExpediteRequest",
    "GroupMember",
    "InvalidTransition",
    "RefusalReason",
    "RequestEvent",
    "SupportingDocument",
    "VisaClass",
    "WindowKind",
]
