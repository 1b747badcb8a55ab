from django.db import migrations

from consular_portal.post_data import seed_posts


def forwards(apps, schema_editor):
    seed_posts(apps.get_model("consular_portal", "Post"))


class Migration(migrations.Migration):
    dependencies = [("consular_portal", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
