from django.db import migrations

from consular_portal.groups import grant
from inquiries.inquiry_permissions import GRANTS
from inquiries.inquiry_policy_data import seed_inquiry_policies


def forwards(apps, schema_editor):
    seed_inquiry_policies(
        apps.get_model("consular_portal", "Post"),
        apps.get_model("inquiries", "InquiryPolicy"),
        apps.get_model("inquiries", "InquiryRoute"),
    )
    grant(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0003_status_inquiries"),
        ("consular_portal", "0003_staff_groups"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
