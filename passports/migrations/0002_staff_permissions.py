from django.db import migrations

from consular_portal.groups import grant
from passports.permissions import GRANTS


def forwards(apps, schema_editor):
    grant(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("passports", "0001_initial"),
        ("consular_portal", "0003_staff_groups"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
