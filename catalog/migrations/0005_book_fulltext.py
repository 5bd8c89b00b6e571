"""An InnoDB FULLTEXT index over title, author and description, on MySQL/MariaDB only.

Django has no portable field for it, so it is raw SQL run only when the database is MySQL/MariaDB;
on SQLite the search falls back to `icontains` (catalog/search.py) and this migration does nothing.
"""

from django.db import migrations

FULLTEXT_INDEX = "catalog_book_fulltext"
# The columns as this migration created them (0008 adds genre_names to the index).
FULLTEXT_COLUMNS = ("title", "author", "description")


def _on_mysql(schema_editor, sql):
    if schema_editor.connection.vendor == "mysql":
        schema_editor.execute(sql)


def add_fulltext(apps, schema_editor):
    columns = ", ".join(schema_editor.quote_name(column) for column in FULLTEXT_COLUMNS)
    _on_mysql(schema_editor, f"ALTER TABLE catalog_book ADD FULLTEXT INDEX {FULLTEXT_INDEX} ({columns})")


def drop_fulltext(apps, schema_editor):
    _on_mysql(schema_editor, f"ALTER TABLE catalog_book DROP INDEX {FULLTEXT_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_reviews_wishlist_prebookings")]

    # Not atomic: MySQL cannot run DDL inside a transaction (and would commit it implicitly anyway).
    operations = [migrations.RunPython(add_fulltext, drop_fulltext, atomic=False, elidable=False)]
