"""Who may do what with live-assistance requests (least privilege): officers view and answer their posts'
requests, administrators everything, passport staff nothing. Which *posts* is decided by ``Post.staff``."""

from consular_portal.groups import ADMINISTRATORS, OFFICERS

CRUD = ["add", "change", "delete", "view"]
MODELS = ("liveassistancerequest", "liveassistancerequestevent")
OFFICER_PERMISSIONS = [
    "inquiries.view_liveassistancerequest",
    "inquiries.decide_liveassistancerequest",
    "inquiries.view_liveassistancerequestevent",
]
GRANTS = {
    OFFICERS: OFFICER_PERMISSIONS,
    ADMINISTRATORS: sorted({*OFFICER_PERMISSIONS, *(f"inquiries.{a}_{m}" for a in CRUD for m in MODELS)}),
}
