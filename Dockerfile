# Production image: gunicorn serves the portal, the same image runs the Celery
# workers (one service per queue) and beat (see docker-compose.yml).
#
# Stateless: static files are built into the image (whitenoise serves them), so
# any number of web replicas run from it with no shared volume; /app/var is
# each container's own scratch space (beat's schedule file), never shared.
#
#   docker build -t tthc-portal .
#   docker run -e SECRET_KEY=... -e DATABASE_URL=... -e REDIS_URL=... tthc-portal
FROM python:3.11-slim-bookworm

# settings/base.py finds templates/, static/ and locale/ next to the source tree
# (BASE_DIR), so the code runs from /app (PYTHONPATH) rather than site-packages.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    TTHC_VAR_DIR=/app/var \
    DJANGO_SETTINGS_MODULE=tthc_portal.settings.production \
    WEB_CONCURRENCY=3

# WeasyPrint (receipts, result documents) needs Pango; python-magic needs
# libmagic; DejaVu covers every Vietnamese diacritic in generated PDFs;
# postgresql-client (15, as the compose server) is pg_dump for make backup.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libmagic1 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 tthc \
    && useradd --system --uid 10001 --gid tthc --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin tthc

WORKDIR /app

# Dependencies first, in their own layer: code changes do not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
RUN pip install --no-deps .

# Translations and static files are built into the image. production.py refuses
# to start without a real SECRET_KEY, so these two commands get a throw-away one
# that exists only for this RUN step (it is not stored in any image layer's ENV).
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" TTHC_DEMO_PARTS=true \
        sh -c 'python manage.py compile_translations && python manage.py collectstatic --noinput' \
    && mkdir -p /app/var \
    && chown -R tthc:tthc /app/var

USER tthc

EXPOSE 8000

# gunicorn reads the number of workers from WEB_CONCURRENCY.
CMD ["gunicorn", "tthc_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
