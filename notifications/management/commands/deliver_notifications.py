from django.core.management.base import BaseCommand

from notifications.delivery import notifications_deliver_due


class Command(BaseCommand):
    help = (
        "Send the emails that are due: retries after a failure, and any whose queued delivery was lost "
        "(safe to run from cron every minute, twice at once, beside the workers)."
    )

    def handle(self, *args, **options):
        sent, tried = notifications_deliver_due()
        self.stdout.write(f"Sent {sent} of {tried} due email(s).")
