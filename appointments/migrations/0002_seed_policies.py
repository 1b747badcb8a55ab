from django.db import migrations

from appointments.policy_data import seed_policies


def forwards(apps, schema_editor):
    seed_policies(
        apps.get_model("consular_portal", "Post"),
        apps.get_model("appointments", "ExpeditePolicy"),
        apps.get_model("appointments", "ExpediteCategory"),
        apps.get_model("appointments", "ExpediteExclusion"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0001_initial"),
        ("consular_portal", "0002_seed_posts"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
