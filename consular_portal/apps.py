from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def create_sqlite_directories(databases):
    """SQLite creates its file but not the folder it is in (``var/`` of the embedded default)."""
    for database in databases.values():
        name = str(database.get("NAME") or "")
        if database.get("ENGINE") == "django.db.backends.sqlite3" and name and not name.startswith(
            (":memory:", "file:")
        ):
            Path(name).parent.mkdir(parents=True, exist_ok=True)


class ConsularPortalConfig(AppConfig):
    name = "consular_portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.conf import settings

        from . import checks  # noqa: F401 - registers the portal's system checks

        create_sqlite_directories(settings.DATABASES)
