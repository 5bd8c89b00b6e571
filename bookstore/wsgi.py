"""The WSGI application (gunicorn, and `manage.py runserver` through WSGI_APPLICATION).

Without a task broker (settings.BACKGROUND_TASKS == "embedded") each serving process also runs the
periodic jobs itself (core.background.EmbeddedScheduler), started by its first request: after the fork,
so a preloading server's master never holds the thread.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from core.background import embedded_scheduler
from core.warm_up import warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookstore.settings.production")

django_application = get_wsgi_application()
# The URLconf and its lookups built and the templates compiled now, once in gunicorn's master, rather than
# on each new or recycled worker's first requests (core/warm_up.py).
warm_up()


def application(environ, start_response):
    if settings.BACKGROUND_TASKS == "embedded":
        embedded_scheduler.ensure_started()
    return django_application(environ, start_response)
