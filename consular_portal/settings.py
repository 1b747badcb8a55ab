"""Settings for Consular Portal: one module, driven by environment variables.

With no variable set the portal runs embedded: SQLite, Celery tasks run eagerly in the web process, a
local-memory cache and emails written as files under ``var/mail/``. ``DATABASE_URL``, ``REDIS_URL`` and
``EMAIL_URL`` point it at PostgreSQL, Redis and SMTP; ``DJANGO_ENV=production`` (or ``DEBUG=0``) turns on
every deploy check.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")


def env_secret(name, default=None):
    """Read a secret from ``NAME`` or from the file named by ``NAME_FILE`` (Docker/Kubernetes secrets)."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path} cannot be read: {exc}") from exc
    return env.str(name, default=default)


DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production" or not env.bool("DEBUG", default=True)
DEBUG = not PRODUCTION

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("Set SECRET_KEY or SECRET_KEY_FILE in production.")
    SECRET_KEY = "development-only-key-not-secret-0f6c1b9e2d7a4c58b3e1f0a9d8c7b6a5e4d3c2b1"  # noqa: S105 - development only

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS in production.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The portal's public address (scheme and host, no path): every absolute link it makes (emails, the links staff
# send to applicants) starts with it, never with the Host of the request at hand (consular_portal/site_url.py).
SITE_URL = env.str("SITE_URL", default="" if PRODUCTION else "http://127.0.0.1:8000").rstrip("/")
if PRODUCTION and not SITE_URL:
    raise ImproperlyConfigured("Set SITE_URL (e.g. https://visa.example.gov) in production.")
if SITE_URL and not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("SITE_URL must start with https:// (or http:// outside production).")

INSTALLED_APPS = [
    "consular_portal",
    "appointments",
    "passports",
    "inquiries",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "phonenumber_field",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
]

MIDDLEWARE = [
    "consular_portal.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "consular_portal.body_limit.RequestBodyLimitMiddleware",  # in the page's language, before a body is read
    "django.middleware.common.CommonMiddleware",
    "consular_portal.request_guard.RequestGuardMiddleware",  # before anything reads a form body
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "consular_portal.staff_sessions.StaffIdleTimeoutMiddleware",  # after messages: it leaves one
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "consular_portal.urls"
WSGI_APPLICATION = "consular_portal.wsgi.application"
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "consular_portal.context_processors.portal",
            ],
        },
    },
]

# Database ------------------------------------------------------------------------------------------------

# The embedded default keeps its database under var/ (created by the portal's AppConfig.ready, not here).
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int("DATABASE_CONNECT_TIMEOUT", 5)
else:
    # The dashboard's indexes carry extra columns on PostgreSQL (INCLUDE); the embedded SQLite builds them
    # without, which is all it needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: cache and Celery broker --------------------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=2.0)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cp",
            "OPTIONS": {
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The base layout's fragments are the same for every page of one language and release: each process keeps
# its own copy, so a page's header costs no round trip and pages render while Redis is down.
CACHES["layout"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "layout"}

# Celery (read by consular_portal/celery.py with the CELERY_ namespace) -----------------------------------

CELERY_BROKER_URL = REDIS_URL or "memory://"
# Tasks run in the web process only in the embedded default (no REDIS_URL) or when asked for explicitly.
TASKS_EAGER = env.bool("TASKS_EAGER", default=not REDIS_URL)
if PRODUCTION and TASKS_EAGER:
    raise ImproperlyConfigured("Production runs tasks on a worker: set REDIS_URL (and leave TASKS_EAGER unset).")
CELERY_TASK_ALWAYS_EAGER = TASKS_EAGER
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One task at a time a pool process (fair to long imports); a mail-only worker may take more (see operations).
CELERY_WORKER_PREFETCH_MULTIPLIER = env.int("CELERY_WORKER_PREFETCH_MULTIPLIER", default=1)
# Celery closes Django's database connections around every task unless told to keep them for this many; the
# tasks close them as a request does instead (CONN_MAX_AGE, health checks: consular_portal/tasks.py).
CELERY_DB_REUSE_MAX = 1_000_000
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"consular_portal.tasks.send_outbound_email": {"queue": "mail"}}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A task whose worker died comes back after this long (late acks); longer than the hard time limit.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
    # Never block a request when Redis hangs.
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
    # Publishing tries to reconnect once, at once (kombu's default keeps a request waiting about 6 s): with
    # Redis down, a request that queues an email answers at once and the outbox sweep sends it later.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0,
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "consular_portal.tasks.sweep_outbox", "schedule": env.float("OUTBOX_SWEEP_SECONDS", default=60.0),
    },
    "outbox-purge": {"task": "consular_portal.tasks.purge_outbox", "schedule": crontab(hour=3, minute=15)},
    "retention-purge": {"task": "consular_portal.tasks.purge_expired_records", "schedule": crontab(hour=3, minute=45)},
    # Officers' daily reminder of expedite requests past their promised answer date: the task runs hourly and
    # mails the posts where it is now REMINDER_LOCAL_HOUR o'clock.
    "expedite-overdue-reminders": {
        "task": "appointments.tasks.send_overdue_reminders", "schedule": crontab(minute=0),
    },
    "in-person-overdue-reminders": {
        "task": "appointments.tasks.send_in_person_overdue_reminders", "schedule": crontab(minute=0),
    },
    "inquiry-overdue-reminders": {
        "task": "inquiries.send_inquiry_overdue_reminders", "schedule": crontab(minute=0),
    },
    # Subscribers of passports waiting for pickup, a few days before they are sent back.
    "passport-pickup-reminders": {
        "task": "passports.tasks.send_pickup_reminders", "schedule": crontab(hour=0, minute=30),
    },
}
REMINDER_LOCAL_HOUR = env.int("REMINDER_LOCAL_HOUR", default=8)
if not 0 <= REMINDER_LOCAL_HOUR <= 23:
    raise ImproperlyConfigured("REMINDER_LOCAL_HOUR must be an hour from 0 to 23.")

# Email and the outbox ------------------------------------------------------------------------------------

EMAIL_URL = env.str("EMAIL_URL", default="")
_email_timeout = env.int("EMAIL_TIMEOUT", default=20)


def mailer_from_url(url, *, timeout):
    """A ``MAILERS`` entry from django-environ's reading of an email URL: its ``EMAIL_*`` values become the
    backend's options of the same name (``EMAIL_HOST_USER`` is ``username``), keeping those the backend takes."""
    import inspect

    from django.utils.module_loading import import_string

    config = env.email_url_config(url)
    backend = config.pop("EMAIL_BACKEND")
    if backend == "django.core.mail.backends.smtp.EmailBackend":
        backend = "consular_portal.mail_backends.EmailBackend"  # Django's, keeping its connection between emails
    values = {key.lower(): value for key, value in config.pop("OPTIONS", {}).items()}  # ?name=value
    values.setdefault("timeout", timeout)
    for key, value in config.items():
        name = key.removeprefix("EMAIL_").lower()
        values[{"host_user": "username", "host_password": "password"}.get(name, name)] = value
    if values.get("file_path"):
        values["file_path"] = "/" + values["file_path"].lstrip("/")  # filemail:///var/mail
    accepted = inspect.signature(import_string(backend).__init__).parameters
    options = {name: value for name, value in values.items() if name in accepted and value not in (None, "")}
    return {"BACKEND": backend, "OPTIONS": options}


if EMAIL_URL:
    MAILERS = {"default": mailer_from_url(EMAIL_URL, timeout=_email_timeout)}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Consular Portal <no-reply@consular-portal.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Outside production only these recipient domains get mail; anything else is recorded as suppressed.
OUTBOX_ALLOWED_DOMAINS = env.list(
    "OUTBOX_ALLOWED_DOMAINS",
    default=[] if PRODUCTION else ["example.com", "example.org", "example.net", "example", "test", "localhost"],
)
OUTBOX_SUBJECT_PREFIX = env.str("OUTBOX_SUBJECT_PREFIX", default="" if PRODUCTION else "[TEST] ")
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=30)
OUTBOX_SWEEP_GRACE_SECONDS = env.int("OUTBOX_SWEEP_GRACE_SECONDS", default=60)
# A row left in "sending" this long belongs to a worker that died mid-send and is sent again; it must be longer
# than the task's hard time limit (a live worker is stopped by then) and shorter than the visibility timeout.
OUTBOX_CLAIM_TIMEOUT_SECONDS = env.int("OUTBOX_CLAIM_TIMEOUT_SECONDS", default=CELERY_TASK_TIME_LIMIT * 2)
if OUTBOX_CLAIM_TIMEOUT_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("OUTBOX_CLAIM_TIMEOUT_SECONDS must be longer than CELERY_TASK_TIME_LIMIT.")
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=90)
# How long each kind of record is kept once closed, in days (consular_portal/retention.py; docs/operations.md).
RETENTION_DAYS = {
    kind: env.int(f"RETENTION_{kind.upper()}_DAYS", default=days)
    for kind, days in {
        "expedite_requests": 365, "expedite_uploads": 90, "in_person_requests": 365, "inquiries": 365,
        "live_assistance_requests": 180, "passports": 90, "cases": 365, "survey_responses": 730,
        "fraud_reports": 730, "expedite_proof_drafts": 1,
    }.items()
}
if any(days < 1 for days in RETENTION_DAYS.values()):
    raise ImproperlyConfigured("Every RETENTION_*_DAYS must be a number of days, at least 1.")
# The key of the hashes that keep "this applicant or organisation had an expedited appointment" after the
# request is purged (appointments/models/earlier_expedites.py). Changing it forgets every earlier expedite
# purged before: set it on its own (or from a file) so that rotating SECRET_KEY keeps them.
EARLIER_EXPEDITE_HASH_KEY = env_secret("EARLIER_EXPEDITE_HASH_KEY", default="") or SECRET_KEY
# Inbound mail: the status address answers a passport number with its status (consular_portal/inbound_mail.py).
STATUS_MAIL_ADDRESS = env.str("STATUS_MAIL_ADDRESS", default="passport-status@consular-portal.example")
INBOUND_MAIL_SERVICES = {STATUS_MAIL_ADDRESS: "passports.autoreply.SERVICE"}
AUTOREPLY_PER_SENDER_PER_HOUR = env.int("AUTOREPLY_PER_SENDER_PER_HOUR", default=3)
# manage.py receive_mail: the SMTP server the MX (or the host's MTA) hands the status address's mail to.
MAIL_RECEIVER_HOST = env.str("MAIL_RECEIVER_HOST", default="127.0.0.1")
MAIL_RECEIVER_PORT = env.int("MAIL_RECEIVER_PORT", default=8025)
MAIL_RECEIVER_MAX_BYTES = env.int("MAIL_RECEIVER_MAX_BYTES", default=1024 * 1024)
# manage.py poll_mailbox and its beat task, for mail received elsewhere: imaps://user:password@host/INBOX,
# imap+starttls://... (or imap:// on a trusted network); ?move=Folder moves handled mail there.
IMAP_URL = env_secret("IMAP_URL", default="")
IMAP_POLL_SECONDS = env.int("IMAP_POLL_SECONDS", default=60)
if IMAP_URL:
    CELERY_BEAT_SCHEDULE["poll-status-mailbox"] = {
        "task": "consular_portal.tasks.poll_status_mailbox", "schedule": float(IMAP_POLL_SECONDS),
    }
# How long a signed link emailed to an applicant opens their page; a new link replaces the old one sooner.
APPLICANT_LINK_MAX_AGE_DAYS = env.int("APPLICANT_LINK_MAX_AGE_DAYS", default=180)
if APPLICANT_LINK_MAX_AGE_DAYS < 1:
    raise ImproperlyConfigured("APPLICANT_LINK_MAX_AGE_DAYS must be a number of days, at least 1.")
# How long the link to change a passport's delivery opens its page (the page closes after the interview day).
PASSPORT_DELIVERY_LINK_MAX_AGE_DAYS = env.int("PASSPORT_DELIVERY_LINK_MAX_AGE_DAYS", default=60)
if PASSPORT_DELIVERY_LINK_MAX_AGE_DAYS < 1:
    raise ImproperlyConfigured("PASSPORT_DELIVERY_LINK_MAX_AGE_DAYS must be a number of days, at least 1.")
# How many live-assistance requests a post's officers answer a business day: the estimate given to applicants.
LIVE_ASSISTANCE_REQUESTS_PER_DAY = env.int("LIVE_ASSISTANCE_REQUESTS_PER_DAY", default=20)
if LIVE_ASSISTANCE_REQUESTS_PER_DAY < 1:
    raise ImproperlyConfigured("LIVE_ASSISTANCE_REQUESTS_PER_DAY must be a number of requests, at least 1.")

# Static files and uploads --------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"  # not routed: uploads are served only through permission-checked views
STORAGES = {
    "default": {
        "BACKEND": env.str("MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env.json("MEDIA_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production whitenoise serves straight from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
# Images are decoded to be re-encoded: more pixels than this is refused (a decompression bomb).
UPLOAD_MAX_IMAGE_PIXELS = env.int("UPLOAD_MAX_IMAGE_PIXELS", default=40_000_000)
# The whole request body: the expedite request form (its two proof files and its fields) may send this much;
# every other page, the admin aside, takes no file and gets the small cap. Over it: 413, before Django reads it.
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=2 * UPLOAD_MAX_BYTES + 512 * 1024)
REQUEST_MAX_BYTES_NO_UPLOAD = env.int("REQUEST_MAX_BYTES_NO_UPLOAD", default=256 * 1024)
REQUEST_UPLOAD_URL_NAMES = ["appointments:request_form"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024  # the fields of a form, files aside
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES  # a proof that may be accepted is never spooled to disk
FILE_UPLOAD_PERMISSIONS = 0o640

# Languages and time --------------------------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ja", _("Japanese")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# Authentication and the back office ----------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_HOURS", default=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind the proxy every connection comes from its address: lock out by the client's, as the rate limits do.
AXES_CLIENT_IP_CALLABLE = "consular_portal.ratelimits.client_ip"
# Staff log in with a second factor (TOTP) in production.
OTP_ADMIN = env.bool("OTP_ADMIN", default=PRODUCTION)
OTP_TOTP_ISSUER = "Consular Portal"

# Valid public submissions (fraud reports, survey answers, expedite requests) per client address.
SUBMISSION_RATE_LIMIT = env.str("SUBMISSION_RATE_LIMIT", default="20/h")
# Invalid ones, all public forms together: generous for a person correcting mistakes, not for a script.
INVALID_SUBMISSION_RATE_LIMIT = env.str("INVALID_SUBMISSION_RATE_LIMIT", default="60/h")
# Passport status lookups per client address (django-ratelimit's rates: "20/10m" is 20 per 10 minutes).
PASSPORT_LOOKUP_RATE_LIMIT = env.str("PASSPORT_LOOKUP_RATE_LIMIT", default="20/10m")
# Case status lookups by receipt number per client address (same rates).
CASE_STATUS_LOOKUP_RATE_LIMIT = env.str("CASE_STATUS_LOOKUP_RATE_LIMIT", default="20/10m")
# Japan Post's public tracking page of a Letter Pack ({number}: its 12 digits).
JAPAN_POST_TRACKING_URL = env.str(
    "JAPAN_POST_TRACKING_URL",
    default="https://trackings.post.japanpost.jp/services/srv/search/?requestNo1={number}&locale=en",
)
# Status alerts: how long a confirmation link and an unsubscribe link (in every alert) open their page.
TRACKING_CONFIRM_LINK_DAYS = env.int("TRACKING_CONFIRM_LINK_DAYS", default=7)
TRACKING_UNSUBSCRIBE_LINK_DAYS = env.int("TRACKING_UNSUBSCRIBE_LINK_DAYS", default=730)
# A passport waiting for pickup at a post office is held this many days, then sent back to the post; its
# subscribers are reminded this many days before (passports.alerts, a daily beat task). The posts' pages give no
# number of days ("collect it in a timely manner"): 7 is Japan Post's usual holding period, an assumption.
PASSPORT_PICKUP_HOLD_DAYS = env.int("PASSPORT_PICKUP_HOLD_DAYS", default=7)
PASSPORT_PICKUP_REMINDER_DAYS = env.int("PASSPORT_PICKUP_REMINDER_DAYS", default=2)
if not 0 < PASSPORT_PICKUP_REMINDER_DAYS < PASSPORT_PICKUP_HOLD_DAYS:
    raise ImproperlyConfigured(
        "PASSPORT_PICKUP_REMINDER_DAYS must be at least 1 and less than PASSPORT_PICKUP_HOLD_DAYS.")
# Rows a tracking import checks between two progress updates.
TRACKING_IMPORT_CHUNK_SIZE = env.int("TRACKING_IMPORT_CHUNK_SIZE", default=5000)
RATELIMIT_FAIL_OPEN = True  # a cache that cannot count never refuses a person
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=PRODUCTION)
# How many proxies in front of the portal append to X-Forwarded-For (0: clients connect directly).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if BEHIND_TLS_PROXY else 0)
RATELIMIT_IP_META_KEY = "consular_portal.ratelimits.client_ip"

CRISPY_ALLOWED_TEMPLATE_PACKS = ("uswds",)
CRISPY_TEMPLATE_PACK = "uswds"
# Django's renderer with inputs, textareas and selects written in Python (no template per widget or option).
FORM_RENDERER = "consular_portal.form_renderer.PortalFormRenderer"
PHONENUMBER_DEFAULT_REGION = None

# Security ------------------------------------------------------------------------------------------------

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # at most a working day; and signed out after this long without a request:
STAFF_IDLE_TIMEOUT_MINUTES = env.int("STAFF_IDLE_TIMEOUT_MINUTES", default=30)
LANGUAGE_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # __Host- cookies are sent only over HTTPS, for this host, on every path: no subdomain can set or read them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    if BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Paths in log lines lose their query string and signed tokens (searches, applicants' links).
    "filters": {"private_paths": {"()": "consular_portal.access_log.PrivatePathFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["private_paths"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False, "filters": ["private_paths"]},
        "django.request": {"filters": ["private_paths"]},
    },
}
