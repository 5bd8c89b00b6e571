from django.core.management.base import BaseCommand

from payments.services import refunds_retry


class Command(BaseCommand):
    help = "Ask Stripe again for refunds that are due but not yet accepted (safe to run from cron)."

    def handle(self, *args, **options):
        refunded, due = refunds_retry()
        self.stdout.write(f"Stripe accepted {refunded} of {due} due refund(s).")
