from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("books/<int:book_id>/reviews/", views.review_create, name="create"),
    path("reviews/<int:review_id>/edit/", views.review_update, name="update"),
    path("reviews/<int:review_id>/delete/", views.review_delete, name="delete"),
]
