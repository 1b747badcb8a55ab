"""Who may do what with in-person appointment requests (least privilege): officers view and decide their
posts' requests, administrators everything, passport staff nothing."""

from consular_portal.groups import ADMINISTRATORS, OFFICERS

CRUD = ["add", "change", "delete", "view"]
OFFICER_PERMISSIONS = [
    "appointments.view_inpersonrequest",
    "appointments.decide_inpersonrequest",
    "appointments.view_inpersonrequestevent",
]
ADMINISTRATOR_PERMISSIONS = sorted(
    set(OFFICER_PERMISSIONS)
    | {f"appointments.{action}_{model}" for action in CRUD for model in ("inpersonrequest", "inpersonrequestevent")}
)
GRANTS = {OFFICERS: OFFICER_PERMISSIONS, ADMINISTRATORS: ADMINISTRATOR_PERMISSIONS}
