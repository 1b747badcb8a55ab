import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consular_portal.settings")
django.setup(set_prefix=False)  # what get_wsgi_application() does, with the portal's handler

from django.urls import get_resolver  # noqa: E402

from consular_portal.request_guard import PortalWSGIHandler  # noqa: E402 - needs the settings

application = PortalWSGIHandler()

# The URLconf (and with it every view module) loaded now, then what the process holds for its whole life is
# moved out of the garbage collector's sight: its full collections then walk only what requests allocate.
get_resolver().url_patterns  # noqa: B018
gc.freeze()
