from django.db import migrations

from consular_portal.groups import grant
from passports.permissions import IMPORT_GRANTS


def forwards(apps, schema_editor):
    grant(apps, IMPORT_GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("passports", "0003_passport_import"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
