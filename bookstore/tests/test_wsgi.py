"""The WSGI module, as gunicorn's master preloads it (gunicorn.conf.py) before forking the workers: the
URLconf and the views are imported there, so a new or recycled worker does not import them on its first
request, and no database connection is opened, so none is shared between the forked workers."""

import json
import subprocess
import sys

PRELOAD = """
import json, sys
import bookstore.wsgi
from django.conf import settings
from django.db import connections
print(json.dumps({
    "urlconf": settings.ROOT_URLCONF in sys.modules,
    "views": "catalog.views" in sys.modules,
    "connections": [alias for alias in connections if connections[alias].connection is not None],
}))
"""


def test_the_master_imports_the_urlconf_and_opens_no_database_connection():
    done = subprocess.run([sys.executable, "-c", PRELOAD], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "urlconf": True,
        "views": True,
        "connections": [],
    }
