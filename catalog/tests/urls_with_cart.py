"""The project's URLs plus a stand-in `cart:add`, to show the book page's cart form once a cart exists."""

from django.http import HttpResponse
from django.urls import include, path

from bookstore.urls import urlpatterns as project_urlpatterns

cart_patterns = ([path("add/", lambda request: HttpResponse(), name="add")], "cart")

urlpatterns = [path("cart/", include(cart_patterns)), *project_urlpatterns]
