from django.db import migrations

from consular_portal.groups import ADMINISTRATORS, OFFICERS, grant


def forwards(apps, schema_editor):
    view = ["consular_portal.view_surveyresponse", "consular_portal.view_fraudreport"]
    grant(apps, {OFFICERS: view, ADMINISTRATORS: [*view, "consular_portal.delete_surveyresponse"]})


class Migration(migrations.Migration):
    dependencies = [("consular_portal", "0004_site_survey_and_fraud_reports")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
