"""Reviews moved to their own app. Only Django's picture of the models changes here; the table
`catalog_review` and its rows stay exactly as they are (reviews/migrations/0001_initial.py adopts them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_book_fulltext"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Review")],
            database_operations=[],
        ),
    ]
