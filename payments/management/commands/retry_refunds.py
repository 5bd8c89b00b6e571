from django.core.management.base import BaseCommand

from payments.services import payments_retry_refunds


class Command(BaseCommand):
    help = "Ask Stripe again for refunds that are due but not yet accepted (safe to run from cron)."

    def handle(self, *args, **options):
        refunded, due = payments_retry_refunds()
        self.stdout.write(f"Refunded {refunded} of {due} due payment(s).")
