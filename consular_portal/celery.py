"""The Celery application. Its configuration lives in settings (``CELERY_*``), beat schedule included."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consular_portal.settings")

app = Celery("consular_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
