"""Every API route, under /api/. Each path answers with and without its trailing slash."""

from django.urls import re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from accounts.api import (
    AddressViewSet,
    AdminUserViewSet,
    AuthViewSet,
    LoginSessionViewSet,
    SocialAccountViewSet,
)
from cart.api import CartItemViewSet, CartViewSet
from catalog.api import (
    AdminStockMovementViewSet,
    BookViewSet,
    GenreViewSet,
    PreBookingViewSet,
    PreferencesViewSet,
    WishlistViewSet,
)
from checkout.api import AdminOrderViewSet, CartQuoteView, MeViewSet, OrderViewSet, StripeWebhookView
from core.health import health
from core.routers import OptionalSlashRouter
from orders.api import (
    AdminCouponViewSet,
    AdminInventoryViewSet,
    AdminReportViewSet,
    AdminReturnViewSet,
    AdminShippingMethodViewSet,
    AdminTaxRateViewSet,
    MyRecommendationsViewSet,
    ShippingMethodViewSet,
)
from payments.api import AdminPaymentViewSet
from reviews.api import BookReviewViewSet, ReviewViewSet

router = OptionalSlashRouter()
router.register("auth", AuthViewSet, basename="auth")
router.register("admin/users", AdminUserViewSet, basename="admin-user")
router.register("users/me/sessions", LoginSessionViewSet, basename="me-session")
router.register("users/me/social-accounts", SocialAccountViewSet, basename="me-social-account")
router.register("addresses", AddressViewSet, basename="address")
router.register("genres", GenreViewSet, basename="genre")
router.register("books", BookViewSet, basename="book")
router.register(r"books/(?P<book_id>[0-9]{1,18})/reviews", BookReviewViewSet, basename="book-review")
router.register("reviews", ReviewViewSet, basename="review")
router.register("wishlist", WishlistViewSet, basename="wishlist")
router.register("prebooks", PreBookingViewSet, basename="prebooking")
router.register("cart/items", CartItemViewSet, basename="cart-item")
router.register("orders", OrderViewSet, basename="order")
router.register("admin/orders", AdminOrderViewSet, basename="admin-order")
router.register("admin/coupons", AdminCouponViewSet, basename="admin-coupon")
router.register("admin/reports", AdminReportViewSet, basename="admin-report")
router.register("admin/reports/stock-movements", AdminStockMovementViewSet, basename="admin-stock-movement")
router.register("admin/reports/inventory", AdminInventoryViewSet, basename="admin-inventory")
router.register("admin/payments", AdminPaymentViewSet, basename="admin-payment")
router.register("shipping-methods", ShippingMethodViewSet, basename="shipping-method")
router.register("admin/shipping-methods", AdminShippingMethodViewSet, basename="admin-shipping-method")
router.register("admin/tax-rates", AdminTaxRateViewSet, basename="admin-tax-rate")
router.register("admin/returns", AdminReturnViewSet, basename="admin-return")

urlpatterns = [
    re_path(r"^health/?$", health, name="health"),
    re_path(
        r"^users/me/?$",
        MeViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="me",
    ),
    re_path(r"^users/me/password/?$", MeViewSet.as_view({"post": "password"}), name="me-password"),
    re_path(
        r"^users/me/preferences/?$",
        PreferencesViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="me-preferences",
    ),
    re_path(
        r"^users/me/recommendations/?$",
        MyRecommendationsViewSet.as_view({"get": "list"}),
        name="me-recommendations",
    ),
    re_path(r"^payments/webhook/?$", StripeWebhookView.as_view(), name="payments-webhook"),
    re_path(r"^cart/?$", CartViewSet.as_view({"get": "retrieve", "delete": "clear"}), name="cart"),
    re_path(r"^cart/quote/?$", CartQuoteView.as_view(), name="cart-quote"),
    re_path(r"^schema/?$", SpectacularAPIView.as_view(), name="schema"),
    re_path(r"^docs/?$", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    re_path(
        r"^redoc/?$",
        SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"),
        name="redoc",
    ),
    *router.urls,
]
