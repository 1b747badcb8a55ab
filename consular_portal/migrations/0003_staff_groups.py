from django.db import migrations

from consular_portal.groups import ADMINISTRATORS, OFFICERS, PASSPORT_STAFF, grant


def forwards(apps, schema_editor):
    crud = ["add", "change", "delete", "view"]
    grant(
        apps,
        {
            OFFICERS: ["consular_portal.view_post", "consular_portal.view_outboundemail"],
            PASSPORT_STAFF: ["consular_portal.view_post"],
            ADMINISTRATORS: [f"consular_portal.{action}_post" for action in crud]
            + ["consular_portal.view_outboundemail"]
            + [f"auth.{action}_{model}" for action in crud for model in ("user", "group")],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("consular_portal", "0002_seed_posts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
