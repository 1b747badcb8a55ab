from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = _("Status inquiries")

    def ready(self):
        from . import admin, assistance_admin, case_admin, inquiry_tasks, processing_time_admin  # noqa: F401 - registers the admins and tasks
