"""Which staff group may do what with expedite requests, policies and slots (least privilege).

Officers review their posts' requests, decide them, manage slots and edit the policy; passport staff get
nothing here; administrators get everything. Which *posts* an officer sees is decided by ``Post.staff``
(``consular_portal.scoping``).
"""

from consular_portal.groups import ADMINISTRATORS, OFFICERS

CRUD = ["add", "change", "delete", "view"]
OFFICER_PERMISSIONS = [
    "appointments.view_expediterequest",
    "appointments.decide_expediterequest",
    "appointments.view_groupmember",
    "appointments.view_supportingdocument",
    "appointments.view_requestevent",
    "appointments.view_expeditepolicy",
    "appointments.change_expeditepolicy",
    *[f"appointments.{action}_expeditecategory" for action in CRUD],
    *[f"appointments.{action}_expediteexclusion" for action in CRUD],
    *[f"appointments.{action}_appointmentslot" for action in CRUD],
]
ADMINISTRATOR_PERMISSIONS = sorted(
    set(OFFICER_PERMISSIONS)
    | {f"appointments.{action}_{model}" for action in CRUD
       for model in ("expeditepolicy", "expediterequest", "groupmember", "supportingdocument", "requestevent")}
)
GRANTS = {OFFICERS: OFFICER_PERMISSIONS, ADMINISTRATORS: ADMINISTRATOR_PERMISSIONS}

