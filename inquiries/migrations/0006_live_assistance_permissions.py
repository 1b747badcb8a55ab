from django.db import migrations

from consular_portal.groups import grant
from inquiries.assistance_permissions import GRANTS


def forwards(apps, schema_editor):
    grant(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0005_live_assistance_requests"),
        ("consular_portal", "0003_staff_groups"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
