from django.core.management.base import BaseCommand

from catalog.digest import low_stock_digest_send


class Command(BaseCommand):
    help = (
        "Email today's low-stock digest to the active staff (once a day per member, nothing when no book "
        "is low; safe to run from cron)."
    )

    def handle(self, *args, **options):
        queued = low_stock_digest_send()
        self.stdout.write(f"Queued {queued} low-stock digest(s).")
