"""Production server settings (gunicorn reads this file from the working directory by default)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow forever. The app is imported once, in the
# master, so a new worker is a fork (milliseconds) rather than a Django start-up (about a second, during
# which its requests wait); nothing connects to the database at import time, so no connection is shared.
max_requests = 10000
max_requests_jitter = 1000
preload_app = True
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None  # the app logs one structured line per request itself
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
wsgi_app = "bookstore.wsgi:application"
