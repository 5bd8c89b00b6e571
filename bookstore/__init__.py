"""The project's configuration; loads the Celery app so that tasks bind to it in every process."""

from .celery import app as celery_app

__all__ = ("celery_app",)
