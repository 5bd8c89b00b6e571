"""The ASGI application; like wsgi.py, it starts the embedded scheduler without a task broker."""

import os

from django.conf import settings
from django.core.asgi import get_asgi_application

from core.background import embedded_scheduler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookstore.settings.production")

django_application = get_asgi_application()


async def application(scope, receive, send):
    if settings.BACKGROUND_TASKS == "embedded":
        embedded_scheduler.ensure_started()
    return await django_application(scope, receive, send)
