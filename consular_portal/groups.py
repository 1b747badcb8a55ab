"""Staff groups with least privilege. Data migrations create them and grant each app's permissions."""

OFFICERS = "Consular officers"
PASSPORT_STAFF = "Passport staff"
ADMINISTRATORS = "Administrators"
GROUPS = [OFFICERS, PASSPORT_STAFF, ADMINISTRATORS]


def ensure_permissions(apps):
    """Permissions are normally created after migrate; a data migration that grants them needs them now."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, grants):
    """``grants`` maps a group name to permission names ``app_label.codename``; groups are created. Each
    group's permissions are read and added in one query each; permissions are created first only when some
    do not exist yet (a fresh database: they are normally created after migrate)."""
    group_model = apps.get_model("auth", "Group")
    for group_name, names in grants.items():
        wanted = {tuple(name.split(".")) for name in names}
        found = _permissions(apps, wanted)
        if len(found) != len(wanted):
            ensure_permissions(apps)
            found = _permissions(apps, wanted)
        if len(found) != len(wanted):
            missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
            raise apps.get_model("auth", "Permission").DoesNotExist(sorted(missing))
        group, _created = group_model.objects.get_or_create(name=group_name)
        group.permissions.add(*found)


def _permissions(apps, wanted):
    """The permissions named by ``wanted`` ((app_label, codename) pairs) that exist: one query."""
    permission_model = apps.get_model("auth", "Permission")
    candidates = permission_model.objects.filter(codename__in={codename for _, codename in wanted})
    return [p for p in candidates.select_related("content_type") if (p.content_type.app_label, p.codename) in wanted]
