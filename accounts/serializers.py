from django.contrib.auth import get_user_model
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from .models import LoginSession
from .social import social_account_name

User = get_user_model()


class UserSerializer(serializers.ModelSerializer):
    # Output only (input is RegisterSerializer's / ProfileUpdateSerializer's): without the model's
    # validator, whose `\w` the schema would publish as a pattern that means ASCII to JSON Schema while
    # Django accepts any letter ("ê").
    username = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "username",
            "first_name",
            "last_name",
            "is_staff",
            "date_joined",
            "updated_at",
            "email_verified",
        ]
        read_only_fields = ["id", "email", "is_staff", "date_joined", "updated_at", "email_verified"]


class AdminUserSerializer(UserSerializer):
    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "is_active", "last_login"]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A new customer",
            request_only=True,
            value={
                "email": "grace.reader@example.com",
                "username": "grace.reader",
                "password": "seven-lighthouses-at-dusk",
                "first_name": "Grace",
                "last_name": "Reader",
            },
        )
    ]
)
class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    username = serializers.RegexField(
        r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={"invalid": "Use letters, digits and @/./+/-/_ only."},
    )
    password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


class ProfileUpdateSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150, required=False)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)


class LoginSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class SocialLoginSerializer(serializers.Serializer):
    """What a REST client brings back from the provider's authorization-code flow."""

    code = serializers.CharField(max_length=2048, help_text="The authorization code the provider returned.")
    redirect_uri = serializers.URLField(
        max_length=2048, help_text="The redirect_uri the client sent the user to the provider with."
    )
    code_verifier = serializers.CharField(
        max_length=128,
        required=False,
        allow_blank=True,
        help_text="PKCE: the verifier of the code_challenge (S256) the authorization request carried.",
    )


class SocialAccountSerializer(serializers.Serializer):
    """A Google or GitHub account that signs the caller in."""

    id = serializers.IntegerField()
    provider = serializers.ChoiceField(choices=["google", "github"])
    name = serializers.SerializerMethodField()
    connected_at = serializers.DateTimeField(source="date_joined")
    last_login = serializers.DateTimeField()

    def get_name(self, account) -> str:
        """The account at the provider, as it was when last used: Google's email, GitHub's login."""
        return social_account_name(account)


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=2048)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128)
    new_password = serializers.CharField(max_length=128)


class PasswordResetSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(max_length=128)


class EmailVerifySerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)


class AccountCloseSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class LoginSessionSerializer(serializers.ModelSerializer):
    """One login of the caller; `current` marks the one making this request."""

    current = serializers.SerializerMethodField()

    class Meta:
        model = LoginSession
        fields = ["id", "created_at", "last_used_at", "user_agent", "ip", "current"]
        read_only_fields = fields

    def get_current(self, session) -> bool:
        return session.pk == self.context.get("current_session_id")


ADDRESS_EXAMPLE = {
    "full_name": "Ada Lovelace",
    "line1": "12 Analytical Row",
    "line2": "Flat 3",
    "city": "London",
    "region": "",
    "postal_code": "sw1a1aa",
    "country": "GB",
    "phone": "+44 20 7946 0018",
}


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A British address",
            description="The postal code is checked against the country's format and normalised "
            '(`"sw1a1aa"` is stored as `"SW1A 1AA"`).',
            request_only=True,
            value={**ADDRESS_EXAMPLE, "is_default": True},
        )
    ]
)
class AddressObjectSerializer(serializers.Serializer):
    """The address object: fields read as text; whether they make a valid address (required fields, the
    country's postal-code format, known regions) is `accounts.addresses`'."""

    full_name = serializers.CharField(required=False, allow_blank=True, help_text="Required.")
    line1 = serializers.CharField(required=False, allow_blank=True, help_text="Required.")
    line2 = serializers.CharField(required=False, allow_blank=True)
    city = serializers.CharField(required=False, allow_blank=True, help_text="Required.")
    region = serializers.CharField(
        required=False, allow_blank=True, help_text="State, province or county; a US state as its code."
    )
    postal_code = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Required where the country uses postal codes; checked against its format and normalised.",
    )
    country = serializers.CharField(
        required=False, allow_blank=True, help_text='Required: an ISO 3166-1 alpha-2 code ("US", "GB", "DE").'
    )
    phone = serializers.CharField(required=False, allow_blank=True)


class AddressSerializer(AddressObjectSerializer):
    """An address in the address book."""

    id = serializers.IntegerField(read_only=True)
    is_default = serializers.BooleanField(required=False)
