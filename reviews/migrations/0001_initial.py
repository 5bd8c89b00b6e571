"""Adopts the existing `catalog_review` table (catalog/migrations/0006 let go of it): no row moves.

Its content type is renamed too, so permissions staff were given on reviews keep working.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def adopt_content_type(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label="reviews", model="review").exists():
        content_types.objects.filter(app_label="catalog", model="review").update(app_label="reviews")


def release_content_type(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label="catalog", model="review").exists():
        content_types.objects.filter(app_label="reviews", model="review").update(app_label="catalog")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalog", "0006_review_moved_to_reviews"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Review",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("rating", models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)])),
                        ("text", models.TextField(blank=True)),
                        ("verified_purchase", models.BooleanField(default=False)),
                        ("deleted_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("book", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="reviews", to="catalog.book")),
                        ("deleted_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="reviews", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "catalog_review",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["book", "deleted_at", "created_at"], name="review_book_visible_idx")],
                        "constraints": [
                            models.UniqueConstraint(fields=("user", "book"), name="review_one_per_user_book"),
                            models.CheckConstraint(condition=models.Q(("rating__gte", 1), ("rating__lte", 5)), name="review_rating_1_to_5"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(adopt_content_type, release_content_type),
    ]
