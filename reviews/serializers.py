from rest_framework import serializers

from .models import REVIEW_TEXT_MAX_LENGTH, Review


class ReviewSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True, help_text="The author's username.")
    rating = serializers.IntegerField(min_value=1, max_value=5)
    text = serializers.CharField(
        max_length=REVIEW_TEXT_MAX_LENGTH, allow_blank=True, required=False, default=""
    )

    class Meta:
        model = Review
        fields = ["id", "user", "rating", "text", "verified_purchase", "created_at"]
        read_only_fields = ["id", "verified_purchase", "created_at"]
