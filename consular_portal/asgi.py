import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consular_portal.settings")
django.setup(set_prefix=False)  # what get_asgi_application() does, with the portal's handler

from consular_portal.request_guard import PortalASGIHandler  # noqa: E402 - needs the settings

application = PortalASGIHandler()
