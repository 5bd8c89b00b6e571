from rest_framework.routers import DefaultRouter


class OptionalSlashRouter(DefaultRouter):
    """Routes answer both with and without the trailing slash, so a POST is never redirected.

    Object ids must be digits (at most 18): anything else is a plain 404 before it reaches the
    database, where an oversized integer would otherwise overflow.
    """

    include_root_view = False

    def __init__(self):
        super().__init__()
        self.trailing_slash = "/?"

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if not getattr(viewset, "lookup_value_regex", None):
            viewset.lookup_value_regex = r"[0-9]{1,18}"
        return super().get_lookup_regex(viewset, lookup_prefix)
