import functools
import hashlib
from pathlib import Path

from django.conf import settings


@functools.cache
def layout_version():
    """What the cached parts of the base layout depend on besides the language: the layout template, the
    compiled translations and the static files' manifest. A release that changes any of them gets new
    fragments from the shared cache instead of the last release's."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    paths = [base / "templates" / "base.html", *sorted((base / "templates" / "layout").glob("*.html")),
             *sorted(base.glob("locale/*/LC_MESSAGES/*.mo")),
             Path(settings.STATIC_ROOT) / "staticfiles.json"]
    for path in paths:
        try:
            digest.update(path.read_bytes())
        except OSError:  # no manifest outside production
            digest.update(b"-")
    return digest.hexdigest()[:16]


def portal(request):
    return {"PRODUCTION": settings.PRODUCTION, "LAYOUT_VERSION": layout_version()}
