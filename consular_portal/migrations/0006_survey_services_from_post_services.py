from django.db import migrations, models


class Migration(migrations.Migration):
    """The survey asks about the services posts offer (Post.Service), then the others: only the labels change."""

    dependencies = [("consular_portal", "0005_site_report_permissions")]

    operations = [
        migrations.AlterField(
            model_name="surveyresponse",
            name="service",
            field=models.CharField(
                blank=True,
                choices=[
                    ("expedite", "Emergency and expedited interview requests"),
                    ("passport_tracking", "Passport tracking"),
                    ("status_inquiry", "Visa application status inquiries"),
                    ("call_center", "Call center, email or chat"),
                    ("website", "This website"),
                    ("other", "Something else"),
                ],
                max_length=20,
                verbose_name="service used",
            ),
        ),
    ]
