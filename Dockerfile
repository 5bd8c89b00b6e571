# The shop under gunicorn with production settings. Build: docker build -t bookstore .
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=bookstore.settings.production

RUN apt-get update \
    && apt-get install -y --no-install-recommends pkg-config libmariadb-dev gcc \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# collectstatic needs a key to import the settings; the real one comes from the environment at run time.
RUN DJANGO_SECRET_KEY=build-only-key-build-only-key-build-only-key-build-only-key \
    python manage.py collectstatic --no-input

RUN useradd --create-home shop && mkdir -p /app/media && chown shop /app/media
USER shop
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/api/health/').status != 200)"
CMD ["sh", "-c", "python manage.py migrate --no-input && exec gunicorn"]
