# One image for every process of the portal: web, worker, beat (and the mail receiver).
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY consular_portal/__init__.py consular_portal/__init__.py
COPY appointments/__init__.py appointments/__init__.py
COPY passports/__init__.py passports/__init__.py
COPY inquiries/__init__.py inquiries/__init__.py
RUN pip install .

COPY . .
RUN pip install --no-deps . \
 && DJANGO_ENV=production TASKS_EAGER=false SECRET_KEY=collectstatic-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=build SITE_URL=https://build python manage.py collectstatic --noinput \
 && useradd --system --uid 10001 --home-dir /app portal \
 && mkdir -p var/media && chown -R portal var

USER portal
EXPOSE 8000
CMD ["gunicorn", "consular_portal.wsgi", "--config", "consular_portal/gunicorn.conf.py"]
