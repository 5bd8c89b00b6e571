"""Daily totals of what shoppers did, written only by `insights.services.insights_push`.

Books are named by their integer id, not a foreign key: this app sits below the catalog in the app
stack (the catalog's pages and the cart call it), and a day's counts outlive nothing they point at.
"""

from django.db import models

SEARCH_QUERY_MAX_LENGTH = 100


class DailyBookStats(models.Model):
    day = models.DateField()
    book_id = models.BigIntegerField()
    views = models.PositiveIntegerField(default=0, help_text="Views of the book's page.")
    cart_adds = models.PositiveIntegerField(default=0, help_text="Times it was put in a cart.")
    orders = models.PositiveIntegerField(default=0, help_text="Orders placed with it.")

    class Meta:
        verbose_name_plural = "daily book stats"
        ordering = ["-day", "book_id"]
        constraints = [models.UniqueConstraint(fields=["day", "book_id"], name="dailybookstats_one_per_day")]
        indexes = [models.Index(fields=["book_id", "day"], name="dailybookstats_book_day_idx")]

    def __str__(self):
        return f"book {self.book_id} on {self.day}: {self.views} views, {self.cart_adds} adds, {self.orders} orders"


class DailySearchStats(models.Model):
    day = models.DateField()
    query = models.CharField(max_length=SEARCH_QUERY_MAX_LENGTH, help_text="Lower case, spaces collapsed.")
    searches = models.PositiveIntegerField(default=0)
    no_results = models.PositiveIntegerField(default=0, help_text="Searches that found no book.")

    class Meta:
        verbose_name_plural = "daily search stats"
        ordering = ["-day", "-searches"]
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="dailysearchstats_one_per_day")]

    def __str__(self):
        return f"“{self.query}” on {self.day}: {self.searches} searches, {self.no_results} without results"
