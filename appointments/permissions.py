"""Which staff group may do what with expedite requests, policies and slots (least privilege).

Officers review their posts' requests, decide them, manage slots and edit the policy; passport staff get
nothing here; administrators get everything. Which *posts* an officer sees is decided by ``Post.staff``.
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


def sees_all_posts(user):
    return user.is_superuser or user.groups.filter(name=ADMINISTRATORS).exists()


def visible_posts(user):
    """The posts whose expedite work ``user`` may see."""
    from consular_portal.models import Post

    if not user.is_authenticated or not user.is_staff:
        return Post.objects.none()
    if sees_all_posts(user):
        return Post.objects.all()
    return user.posts.all()
