"""The tables of the database caches (settings.CACHES entries using DatabaseCache), so that `migrate`
alone prepares a working database: login throttling and search need them from the first request.

Runs Django's own `createcachetable`, which skips tables that exist; with Redis (REDIS_URL) or a
local-memory cache configured there is nothing to create. Switching to the database cache later, after
this migration ran: run `python manage.py createcachetable` once.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=False)]
