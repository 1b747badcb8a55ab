"""Which staff group may do what with passport tracking (least privilege).

Passport staff look up and update their posts' tracking (one by one or by import) and read its history;
officers get nothing here; administrators get everything. Which *posts* is decided by ``Post.staff``."""

from consular_portal.groups import ADMINISTRATORS, PASSPORT_STAFF

CRUD = ["add", "change", "delete", "view"]
PASSPORT_STAFF_PERMISSIONS = [
    "passports.view_passporttracking",
    "passports.change_passporttracking",
    "passports.view_trackingevent",
]
ADMINISTRATOR_PERMISSIONS = sorted(
    {f"passports.{action}_{model}" for action in CRUD for model in ("passporttracking", "trackingevent")}
)
GRANTS = {PASSPORT_STAFF: PASSPORT_STAFF_PERMISSIONS, ADMINISTRATORS: ADMINISTRATOR_PERMISSIONS}
# Imports came later (migration 0004): passport staff upload files and follow their jobs; only
# administrators delete a job.
IMPORT_GRANTS = {
    PASSPORT_STAFF: ["passports.add_passportimport", "passports.view_passportimport"],
    ADMINISTRATORS: [f"passports.{action}_passportimport" for action in CRUD],
}
