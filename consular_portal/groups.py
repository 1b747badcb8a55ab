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
    """``grants`` maps a group name to permission names ``app_label.codename``; groups are created."""
    ensure_permissions(apps)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for group_name, names in grants.items():
        group, _created = group_model.objects.get_or_create(name=group_name)
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.add(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
