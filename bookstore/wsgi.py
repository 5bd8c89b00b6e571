"""The WSGI application (gunicorn, and `manage.py runserver` through WSGI_APPLICATION).

Without a task broker (settings.BACKGROUND_TASKS == "embedded") each serving process also runs the
periodic jobs itself (core.background.EmbeddedScheduler), started by its first request: after the fork,
so a preloading server's master never holds the thread.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import resolve

from core.background import embedded_scheduler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookstore.settings.production")

django_application = get_wsgi_application()
# The URLconf, and with it every view module, is imported now rather than by each worker's first request
# (0.1–0.2 s that request and those queued behind it would wait): gunicorn preloads this module in its
# master (gunicorn.conf.py), so a worker recycled by max_requests starts with them.
resolve("/")


def application(environ, start_response):
    if settings.BACKGROUND_TASKS == "embedded":
        embedded_scheduler.ensure_started()
    return django_application(environ, start_response)
