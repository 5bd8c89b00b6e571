from django.core.management.base import BaseCommand

from checkout.services import orders_expire_unpaid
from core.arguments import positive_int


class Command(BaseCommand):
    help = "Cancel pending orders past their pay-by time and return their stock (safe to run from cron)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=positive_int, default=1000, help="At most this many orders per run."
        )

    def handle(self, *args, limit, **options):
        cancelled = orders_expire_unpaid(limit=limit)
        self.stdout.write(f"Cancelled {cancelled} unpaid order(s) past their pay-by time.")
