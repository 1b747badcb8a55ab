"""gunicorn's settings for the portal's web process (``gunicorn -c consular_portal/gunicorn.conf.py
consular_portal.wsgi``): the Procfile, the Dockerfile and docker-compose.yml all use it.

The access log goes to standard output with paths masked (no query strings, no signed tokens): see
``consular_portal/access_log.py``.
"""

import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 30
# Reached only through the TLS proxy (see docs/operations.md): gunicorn takes its X-Forwarded-* headers.
forwarded_allow_ips = "*"
accesslog = "-"
logger_class = "consular_portal.access_log.AccessLogger"
