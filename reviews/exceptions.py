from core.errors import BusinessError, Forbidden


class NotPurchased(BusinessError):
    status_code = 403
    code = "not_purchased"
    default_detail = "Only customers who bought this book (a paid order) can review it."


class NotReviewOwner(Forbidden):
    """Someone else's review: visible to all, so forbidden (403) rather than hidden (404)."""

    code = "permission_denied"
    default_detail = "You can only change your own review."
