import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consular_portal.settings")
django.setup(set_prefix=False)  # what get_wsgi_application() does, with the portal's handler

from consular_portal.request_guard import PortalWSGIHandler  # noqa: E402 - needs the settings

application = PortalWSGIHandler()
