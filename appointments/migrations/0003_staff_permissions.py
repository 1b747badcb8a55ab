from django.db import migrations

from appointments.permissions import GRANTS
from consular_portal.groups import grant


def forwards(apps, schema_editor):
    grant(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0002_seed_policies"),
        ("consular_portal", "0003_staff_groups"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
