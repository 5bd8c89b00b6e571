"""Fill `Book.genre_names` (the book's genre and the genres above it) and put the column into the
FULLTEXT index on MySQL/MariaDB, so a search for "mystery" finds the books of the Mystery genre (and of
the genres under it). On SQLite the search reads the column with `icontains`; only the data step runs.
"""

from django.db import migrations

FULLTEXT_INDEX = "catalog_book_fulltext"
OLD_COLUMNS = ("title", "author", "description")
NEW_COLUMNS = ("title", "author", "description", "genre_names")
SEPARATOR = " / "  # catalog.selectors.GENRE_NAMES_SEPARATOR when this was written


def fill_genre_names(apps, schema_editor):
    Genre = apps.get_model("catalog", "Genre")
    Book = apps.get_model("catalog", "Book")
    parents = dict(Genre.objects.values_list("pk", "parent_id"))
    names = dict(Genre.objects.values_list("pk", "name"))
    for genre_id in names:
        path, seen, current = [], set(), genre_id
        while current is not None and current not in seen:
            seen.add(current)
            path.insert(0, names[current])
            current = parents[current]
        Book.objects.filter(genre_id=genre_id).update(genre_names=SEPARATOR.join(path))


def _rebuild_fulltext(schema_editor, columns):
    if schema_editor.connection.vendor != "mysql":
        return
    quoted = ", ".join(schema_editor.quote_name(column) for column in columns)
    schema_editor.execute(
        f"ALTER TABLE catalog_book DROP INDEX {FULLTEXT_INDEX}, ADD FULLTEXT INDEX {FULLTEXT_INDEX} ({quoted})"
    )


def fulltext_with_genre_names(apps, schema_editor):
    _rebuild_fulltext(schema_editor, NEW_COLUMNS)


def fulltext_without_genre_names(apps, schema_editor):
    _rebuild_fulltext(schema_editor, OLD_COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0010_book_sales_relations_search_terms")]

    operations = [
        migrations.RunPython(fill_genre_names, migrations.RunPython.noop, elidable=True),
        # Not atomic: MySQL cannot run DDL inside a transaction.
        migrations.RunPython(
            fulltext_with_genre_names, fulltext_without_genre_names, atomic=False, elidable=False
        ),
    ]
