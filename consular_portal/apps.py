from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsularPortalConfig(AppConfig):
    name = "consular_portal"
    verbose_name = _("Portal")
