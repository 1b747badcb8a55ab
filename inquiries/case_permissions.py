"""Which staff group may do what with case statuses and processing times (least privilege).

Consular officers keep their posts' case statuses (one by one or by import: they add and follow import
jobs) and read their history, and publish their posts' processing times; they delete nothing. Passport
staff get nothing here. Administrators get everything. Which *posts* is decided by ``Post.staff``."""

from consular_portal.groups import ADMINISTRATORS, OFFICERS

CRUD = ["add", "change", "delete", "view"]
MODELS = ("case", "caseevent", "caseimport", "processingtime")
OFFICER_PERMISSIONS = [
    "inquiries.add_case", "inquiries.change_case", "inquiries.view_case",
    "inquiries.view_caseevent",
    "inquiries.add_caseimport", "inquiries.view_caseimport",
    "inquiries.add_processingtime", "inquiries.change_processingtime", "inquiries.view_processingtime",
]
GRANTS = {
    OFFICERS: OFFICER_PERMISSIONS,
    ADMINISTRATORS: sorted(f"inquiries.{action}_{model}" for action in CRUD for model in MODELS),
}
