"""Shipments: a carrier and tracking number as staff type them, and the tracking link built from them."""

from urllib.parse import quote

from django.core.exceptions import ValidationError

CARRIER_MAX_LENGTH = 50
TRACKING_NUMBER_MAX_LENGTH = 100

# Where each carrier shows a parcel's progress; any other carrier gets no link.
TRACKING_URLS = {
    "ups": "https://www.ups.com/track?tracknum={}",
    "usps": "https://tools.usps.com/go/TrackConfirmAction?tLabels={}",
    "fedex": "https://www.fedex.com/fedextrack/?trknbr={}",
    "dhl": "https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id={}",
    "royal-mail": "https://www.royalmail.com/track-your-item#/tracking-results/{}",
}

MESSAGES = {
    "carrier": f"Enter the carrier (such as {', '.join(TRACKING_URLS)}) in at most {CARRIER_MAX_LENGTH} characters.",
    "tracking_number": (
        f"Enter the tracking number: at most {TRACKING_NUMBER_MAX_LENGTH} letters, digits, spaces and hyphens."
    ),
}


def shipment_clean(*, carrier, tracking_number) -> dict:
    """The carrier in lower case with hyphens for spaces ("Royal Mail" → "royal-mail"), the tracking
    number in upper case without surrounding spaces, and the tracking link."""
    errors = {}
    carrier_text = "-".join(str(carrier or "").lower().split())
    if not carrier_text or len(carrier_text) > CARRIER_MAX_LENGTH or not carrier_text.isprintable():
        errors["carrier"] = [MESSAGES["carrier"]]
    number = " ".join(str(tracking_number or "").upper().split())
    if (
        not number
        or len(number) > TRACKING_NUMBER_MAX_LENGTH
        or not all(char.isascii() and (char.isalnum() or char in " -") for char in number)
    ):
        errors["tracking_number"] = [MESSAGES["tracking_number"]]
    if errors:
        raise ValidationError(errors)
    template = TRACKING_URLS.get(carrier_text)
    url = template.format(quote(number.replace(" ", ""), safe="")) if template else ""
    return {"carrier": carrier_text, "tracking_number": number, "tracking_url": url}
