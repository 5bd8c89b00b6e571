"""The WSGI module, as gunicorn's master preloads it (gunicorn.conf.py) before forking the workers: the
URLconf is imported and the templates compiled there (core/warm_up.py), so a new or recycled worker does
not do it on its first requests, and no database connection is opened, so none is shared between the
forked workers."""

import gc
import json
import runpy
import subprocess
import sys

from django.conf import settings

PRELOAD = """
import json, sys
import bookstore.wsgi
from django.conf import settings
from django.db import connections
from django.template import engines

loader = engines["django"].engine.template_loaders[0]
print(json.dumps({
    "urlconf": settings.ROOT_URLCONF in sys.modules,
    "views": "catalog.views" in sys.modules,
    "compiled": sorted({"base.html", "catalog/book_detail.html", "orders/email/order_shipped.txt"}
                       & set(loader.get_template_cache)),
    "connections": [alias for alias in connections if connections[alias].connection is not None],
}))
"""


def test_the_master_imports_the_urlconf_compiles_the_templates_and_opens_no_database_connection():
    done = subprocess.run([sys.executable, "-c", PRELOAD], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "urlconf": True,
        "views": True,
        "compiled": ["base.html", "catalog/book_detail.html", "orders/email/order_shipped.txt"],
        "connections": [],
    }


def test_gunicorn_freezes_the_loaded_app_out_of_the_garbage_collector_before_each_fork():
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    assert config["preload_app"] is True  # the app is loaded in the master, so the forks share it
    gc.unfreeze()
    try:
        config["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
