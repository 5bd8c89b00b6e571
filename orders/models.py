"""Orders, their lines (title, price and tax frozen at purchase), status history, shipments and return
requests; coupons, shipping methods and tax rates."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django_countries.fields import CountryField

from catalog.models import TaxClass


class OrderStatus(models.TextChoices):
    PENDING = "pending", "Pending payment"
    PAID = "paid", "Paid"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDED = "refunded", "Refunded"


# Paid or later: what counts as a sale (reports, verified purchases). A refunded order was sold, and
# the sales report takes its refunds off.
SOLD_STATUSES = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.REFUNDED)
# What may be refunded: money was taken and the order is not over.
REFUNDABLE_STATUSES = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED)


COUPON_CODE_MAX_LENGTH = 40
HALF_CENT = Value(Decimal("0.005"))


class Coupon(models.Model):
    """A discount code. What valid terms are is `orders.coupons.coupon_clean`'s (for the API, the admin
    and the services alike); the constraints below are the database's last word."""

    code = models.CharField(
        max_length=COUPON_CODE_MAX_LENGTH,
        unique=True,
        help_text="Stored upper-case; matched case-insensitively.",
    )
    percent_off = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    amount_off = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    max_uses = models.PositiveIntegerField(null=True, blank=True, help_text="Empty means unlimited.")
    used_count = models.PositiveIntegerField(default=0)
    min_subtotal = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(percent_off__isnull=False, amount_off__isnull=True))
                | (Q(percent_off__isnull=True, amount_off__isnull=False)),
                name="coupon_percent_xor_amount",
            ),
            models.CheckConstraint(
                condition=Q(percent_off__isnull=True) | Q(percent_off__gt=0, percent_off__lte=100),
                name="coupon_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(amount_off__isnull=True) | Q(amount_off__gt=0), name="coupon_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(used_count__lte=models.F("max_uses")),
                name="coupon_not_overused",
            ),
        ]

    def __str__(self):
        return self.code


class ShippingMethod(models.Model):
    """A way to send parcels and its price rule. What valid terms are is `orders.shipping`'s; an order
    keeps a copy of the method it was placed with, so a method can change or go without touching one."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    countries = CountryField(multiple=True, blank=True, help_text="Empty: ships everywhere.")
    base_price = models.DecimalField(max_digits=10, decimal_places=2)
    per_item_price = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    free_over = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Subtotal after discount at or above which shipping is free; empty: never free.",
    )
    estimated_days_min = models.PositiveSmallIntegerField()
    estimated_days_max = models.PositiveSmallIntegerField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["base_price", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(base_price__gte=0) & Q(per_item_price__gte=0), name="shipping_prices_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(estimated_days_min__lte=F("estimated_days_max")), name="shipping_days_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class TaxRate(models.Model):
    """A destination's rate for one tax class; a region's rate replaces its country's (`orders.taxes`)."""

    country = CountryField()
    region = models.CharField(max_length=100, blank=True, help_text="Empty: the whole country.")
    tax_class = models.CharField(max_length=10, choices=TaxClass.choices)
    rate = models.DecimalField(max_digits=5, decimal_places=4, help_text="0.0700 is 7 %.")

    class Meta:
        ordering = ["country", "region", "tax_class"]
        constraints = [
            models.UniqueConstraint(fields=["country", "region", "tax_class"], name="taxrate_unique_place"),
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lte=1), name="taxrate_rate_range"),
        ]

    def __str__(self):
        return f"{self.country.code}{'/' + self.region if self.region else ''} {self.tax_class}: {self.rate}"


class Order(models.Model):
    """An order and its figures, snapshotted from the quote it was placed with (`checkout.quotes`):
    with net prices `total = subtotal − discount + shipping + tax`; with prices that include tax
    (`prices_include_tax`) the tax is contained and `total = subtotal − discount + shipping`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="orders", on_delete=models.PROTECT)
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING)
    currency = models.CharField(max_length=3)
    subtotal = models.DecimalField(max_digits=12, decimal_places=2)
    discount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    shipping = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    shipping_tax_rate = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.0000"))
    shipping_tax = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    tax = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0.00"), help_text="Lines' tax and shipping's."
    )
    total = models.DecimalField(max_digits=12, decimal_places=2)
    prices_include_tax = models.BooleanField(default=False)
    coupon = models.ForeignKey(Coupon, null=True, blank=True, related_name="orders", on_delete=models.PROTECT)
    # The address object as it was at checkout (null only on old orders placed without one).
    shipping_address = models.JSONField(null=True, blank=True)
    # The method as it was at checkout: {code, name, price, per_item_price, free_over, estimated_days_*}.
    shipping_method = models.JSONField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True, help_text="The customer's note for the shop.")
    refunded_total = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    shipping_refunded = models.BooleanField(default=False)
    pay_by = models.DateTimeField(help_text="Unpaid orders are cancelled after this moment.")
    paid_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "pay_by"], name="order_status_payby_idx"),
            models.Index(fields=["user", "-created_at"], name="order_user_recent_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(condition=Q(discount__gte=0), name="order_discount_not_negative"),
            # SQLite does this arithmetic in floating point, hence the half-cent of slack (MariaDB's
            # DECIMAL is exact; any real mistake is a cent or more).
            models.CheckConstraint(
                condition=Q(
                    prices_include_tax=False,
                    total__range=(
                        F("subtotal") - F("discount") + F("shipping") + F("tax") - HALF_CENT,
                        F("subtotal") - F("discount") + F("shipping") + F("tax") + HALF_CENT,
                    ),
                )
                | Q(
                    prices_include_tax=True,
                    total__range=(
                        F("subtotal") - F("discount") + F("shipping") - HALF_CENT,
                        F("subtotal") - F("discount") + F("shipping") + HALF_CENT,
                    ),
                ),
                name="order_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(refunded_total__gte=0, refunded_total__lte=F("total")),
                name="order_refunds_within_total",
            ),
        ]

    def __str__(self):
        return f"order {self.pk}"


class OrderItem(models.Model):
    order = models.ForeignKey(Order, related_name="items", on_delete=models.CASCADE)
    book = models.ForeignKey("catalog.Book", related_name="order_items", on_delete=models.PROTECT)
    title = models.CharField(max_length=255)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    quantity = models.PositiveIntegerField()
    line_total = models.DecimalField(max_digits=12, decimal_places=2)
    tax_class = models.CharField(max_length=10, choices=TaxClass.choices, default=TaxClass.REDUCED)
    discount = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0.00"), help_text="This line's share of the coupon."
    )
    tax_rate = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.0000"))
    tax = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    refunded_quantity = models.PositiveIntegerField(default=0)
    # Copies back on the shelf through refunds (`restock`): a later cancellation returns only the rest.
    restocked_quantity = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orderitem_quantity_positive"),
            models.CheckConstraint(
                condition=Q(refunded_quantity__lte=F("quantity"), restocked_quantity__lte=F("quantity")),
                name="orderitem_refunds_within_quantity",
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.title}"


class OrderStatusChange(models.Model):
    order = models.ForeignKey(Order, related_name="status_changes", on_delete=models.CASCADE)
    from_status = models.CharField(max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=OrderStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"


class Shipment(models.Model):
    """A parcel handed to a carrier (`orders.shipments` builds its tracking link)."""

    order = models.ForeignKey(Order, related_name="shipments", on_delete=models.CASCADE)
    carrier = models.CharField(max_length=50)
    tracking_number = models.CharField(max_length=100)
    tracking_url = models.URLField(max_length=300, blank=True)
    shipped_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["shipped_at", "id"]

    def __str__(self):
        return f"{self.carrier} {self.tracking_number}"


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    REFUNDED = "refunded", "Refunded"
    REJECTED = "rejected", "Rejected"


class ReturnRequest(models.Model):
    """A customer's request to send books of a delivered order back (`orders.returns`); staff answer
    it with a refund or reject it with a reason."""

    order = models.ForeignKey(Order, related_name="returns", on_delete=models.CASCADE)
    status = models.CharField(max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED)
    reason = models.CharField(max_length=500)
    answer = models.CharField(max_length=500, blank=True, help_text="Why staff rejected it.")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="return_status_recent_idx")]

    def __str__(self):
        return f"return {self.pk} of order {self.order_id} ({self.status})"


class ReturnLine(models.Model):
    return_request = models.ForeignKey(ReturnRequest, related_name="lines", on_delete=models.CASCADE)
    order_item = models.ForeignKey(OrderItem, related_name="return_lines", on_delete=models.CASCADE)
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="returnline_quantity_positive")
        ]

    def __str__(self):
        return f"{self.quantity} × item {self.order_item_id}"
