"""The Celery application: `celery -A bookstore worker` runs the tasks, `celery -A bookstore beat` queues
the periodic ones (settings.CELERY_BEAT_SCHEDULE).

Configuration comes from Django's settings (the CELERY_* names); each app's tasks.py is found by
autodiscovery. Tasks are thin doors: they take ids, call one service, and are safe to run twice.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookstore.settings.production")

app = Celery("bookstore")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
