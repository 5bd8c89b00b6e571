"""Account endpoints: JWT auth, the caller's profile and logins, and staff user management.

`MeViewSet` serves /api/users/me/ as far as accounts knows it; checkout.api extends it with what spans
apps (cancelled orders, closing the account) and is what the URLs route to.
"""

from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.contrib.auth.models import update_last_login
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from core.filters import FilterSet, StrictBooleanFilter
from core.schema import bad_request, refusal

from . import address_book, login_sessions, selectors, serializers, services, social, tokens
from .login_throttle import client_ip
from .models import Address, LoginSession
from .rate_limits import ScopeRateThrottle

TOKEN_REVOKED = "token_revoked"

User = get_user_model()


# POST /api/auth/social/{google,github}/: one route per provider, so the path holds no free-form part.
SOCIAL_LOGIN_SCHEMA = {
    "request": serializers.SocialLoginSerializer,
    "responses": {
        200: serializers.TokenPairSerializer,
        400: bad_request("social_code_invalid"),
        403: refusal(
            "email_not_verified",
            "forbidden",
            description=(
                "The provider has not verified the account's email (`email_not_verified`), or the account "
                "is staff or deactivated (`forbidden`)."
            ),
        ),
        404: refusal("not_found", description="The shop has no credentials for this provider."),
        503: refusal("provider_unavailable", "busy", description="The provider is not answering."),
    },
    "description": (
        "Authorization-code flow (PKCE S256 when the client used it): the client sends its user to the "
        "provider, then posts the code it got back with the same `redirect_uri` (and its `code_verifier`). "
        "400 `social_code_invalid` when the provider refuses them (a wrong, expired or used code, or "
        "another `redirect_uri` or verifier). A provider account already connected opens its shop account; "
        "otherwise a verified email of an existing account connects to it, and a new one creates an "
        "account. The tokens are a login like the password login's (`/api/users/me/sessions/`)."
    ),
}


class AuthViewSet(viewsets.GenericViewSet):
    permission_classes = [AllowAny]
    serializer_class = serializers.RegisterSerializer
    # Only the endpoints that cost us mail or a user row are rate limited (the pages share these
    # counters); login has its own failure counter.
    THROTTLE_SCOPES = {"register": "register", "password_reset": "password_reset"}

    def get_throttles(self):
        scope = self.THROTTLE_SCOPES.get(self.action)
        return [ScopeRateThrottle(scope)] if scope else []

    @extend_schema(request=serializers.RegisterSerializer, responses={201: serializers.UserSerializer})
    @action(detail=False, methods=["post"])
    def register(self, request):
        data = self._valid(serializers.RegisterSerializer, request)
        user = services.user_register(**data)
        return Response(serializers.UserSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.LoginSerializer,
        responses={
            200: serializers.TokenPairSerializer,
            401: refusal(
                "authentication_failed", description="Wrong email or password, or an inactive account."
            ),
            429: refusal("throttled", description="Too many failed logins for this email or address."),
        },
    )
    @action(detail=False, methods=["post"])
    def login(self, request):
        data = self._valid(serializers.LoginSerializer, request)
        ip = client_ip(request)
        user = services.user_authenticate(request=request, ip=ip, **data)
        if user is None:
            raise exceptions.AuthenticationFailed("No active account found with the given credentials.")
        return Response(self._token_login(request, user, ip=ip))

    @extend_schema(**SOCIAL_LOGIN_SCHEMA, summary="Sign in with Google")
    @action(detail=False, methods=["post"], url_path="social/google")
    def social_google(self, request):
        return self._social_login(request, "google")

    @extend_schema(**SOCIAL_LOGIN_SCHEMA, summary="Sign in with GitHub")
    @action(detail=False, methods=["post"], url_path="social/github")
    def social_github(self, request):
        return self._social_login(request, "github")

    def _social_login(self, request, provider_id: str):
        data = self._valid(serializers.SocialLoginSerializer, request)
        user = social.social_token_login(request=request._request, provider_id=provider_id, **data)
        return Response(self._token_login(request, user, ip=client_ip(request)))

    @staticmethod
    def _token_login(request, user, *, ip: str) -> dict[str, str]:
        """Start an API login (a token family) for a user whose identity was checked."""
        # As simplejwt's own login view does (and a session login): staff see when a user last came.
        if jwt_settings.UPDATE_LAST_LOGIN:
            update_last_login(None, user)
        return tokens.token_pair_for_user(user, user_agent=request.headers.get("User-Agent", ""), ip=ip)

    @extend_schema(
        request=serializers.RefreshSerializer,
        responses={
            200: serializers.TokenPairSerializer,
            401: refusal(
                "token_not_valid",
                TOKEN_REVOKED,
                description=(
                    "An expired or forged refresh token (`token_not_valid`), or one whose login has ended: "
                    "logged out, revoked, or already used once, which revokes every token of that login "
                    "(`token_revoked`)."
                ),
            ),
        },
    )
    @action(detail=False, methods=["post"])
    def refresh(self, request):
        data = self._valid(serializers.RefreshSerializer, request)
        try:
            pair = tokens.refresh_token_rotate(raw=data["refresh"])
        except tokens.TokenRevoked as exc:
            raise exceptions.AuthenticationFailed(str(exc), code=TOKEN_REVOKED) from exc
        except tokens.InvalidToken as exc:
            raise exceptions.AuthenticationFailed(str(exc), code="token_not_valid") from exc
        return Response(pair)

    @extend_schema(
        request=serializers.RefreshSerializer,
        responses={204: None},
        description=(
            "Ends the login the refresh token belongs to (and the one of the access token making the call): "
            "every token of it is refused from now on."
        ),
    )
    @action(detail=False, methods=["post"], permission_classes=[IsAuthenticated])
    def logout(self, request):
        data = self._valid(serializers.RefreshSerializer, request)
        login_sessions.login_logout(
            user=request.user,
            refresh=data["refresh"],
            current_session_id=login_sessions.current_login_session_id(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=serializers.EmailVerifySerializer, responses={204: None})
    @action(detail=False, methods=["post"], url_path="verify-email")
    def verify_email(self, request):
        """Confirm the address a verification email was sent to (its link carries uid and token)."""
        services.user_email_verify(**self._valid(serializers.EmailVerifySerializer, request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=serializers.PasswordResetSerializer, responses={204: None})
    @action(detail=False, methods=["post"], url_path="password-reset")
    def password_reset(self, request):
        data = self._valid(serializers.PasswordResetSerializer, request)
        services.password_reset_request(email=data["email"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=serializers.PasswordResetConfirmSerializer, responses={204: None})
    @action(detail=False, methods=["post"], url_path="password-reset/confirm")
    def password_reset_confirm(self, request):
        data = self._valid(serializers.PasswordResetConfirmSerializer, request)
        services.password_reset_confirm(**data)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @staticmethod
    def _valid(serializer_class, request) -> dict:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


PASSWORD_CHECKS_THROTTLED = refusal(
    "throttled", description="Too many wrong passwords for this account; retry after `Retry-After` seconds."
)


class MeViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.UserSerializer

    def retrieve(self, request):
        return Response(self.get_serializer(request.user).data)

    @extend_schema(request=serializers.ProfileUpdateSerializer)
    def partial_update(self, request):
        serializer = serializers.ProfileUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_update_profile(user=request.user, **serializer.validated_data)
        return Response(self.get_serializer(user).data)

    @extend_schema(
        request=serializers.PasswordChangeSerializer,
        responses={204: None, 429: PASSWORD_CHECKS_THROTTLED},
        description="Every other login of the account ends; the one making the change stays.",
    )
    @action(detail=False, methods=["post"])
    def password(self, request):
        serializer = serializers.PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_change_password(
            user=request.user,
            current_session_id=login_sessions.current_login_session_id(request),
            **serializer.validated_data,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class LoginSessionViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """/api/users/me/sessions/: the caller's active logins, and ending one of them."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.LoginSessionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return LoginSession.objects.none()
        return login_sessions.login_sessions_active(user=self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "current_session_id": self._current()}

    def _current(self):
        return login_sessions.current_login_session_id(self.request) if hasattr(self, "request") else None

    @extend_schema(
        responses={204: None, 404: refusal("not_found", description="No such active login of yours.")},
        description="Ends that login: its tokens (or its browser session) stop working at once.",
    )
    def destroy(self, request, pk=None):
        login_sessions.login_session_revoke(user=request.user, session_id=int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SocialAccountViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """/api/users/me/social-accounts/: the Google and GitHub accounts that sign the caller in."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.SocialAccountSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return SocialAccount.objects.none()
        return selectors.social_account_list(user=self.request.user)

    @extend_schema(
        responses={
            204: None,
            404: refusal("not_found", description="No such connected account of yours."),
            409: refusal(
                "last_sign_in_method",
                description="It is the account's only way to sign in (no password, no other provider).",
            ),
        },
        description="Disconnects it: it no longer signs the caller in.",
    )
    def destroy(self, request, pk=None):
        social.social_account_unlink(user=request.user, account_id=int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AdminUserFilter(FilterSet):
    search = filters.CharFilter(method="filter_search", max_length=100)
    is_active = StrictBooleanFilter()

    class Meta:
        model = User
        fields = ["search", "is_active"]

    def filter_search(self, queryset, name, value):
        return queryset & selectors.user_list(search=value)


class AdminUserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAdminUser]
    serializer_class = serializers.AdminUserSerializer
    filterset_class = AdminUserFilter
    queryset = selectors.user_list()

    @extend_schema(
        request=None,
        responses={
            200: serializers.AdminUserSerializer,
            403: refusal(
                "permission_denied",
                "forbidden",
                description="Staff only; only a superuser may deactivate one.",
            ),
            409: refusal("invalid_transition", description="Staff cannot deactivate themselves."),
        },
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        user = services.user_deactivate(user=self.get_object(), actor=request.user)
        return Response(self.get_serializer(user).data)

    @extend_schema(request=None, responses=serializers.AdminUserSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        user = services.user_reactivate(user=self.get_object(), actor=request.user)
        return Response(self.get_serializer(user).data)


class AddressViewSet(viewsets.GenericViewSet):
    """The caller's address book (others' addresses are not found)."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.AddressSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Address.objects.none()
        return address_book.address_list_for_user(user=self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        responses={
            201: serializers.AddressSerializer,
            409: refusal("address_book_full", description="The address book is full."),
        }
    )
    def create(self, request):
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        address = address_book.address_create(user=request.user, **payload.validated_data)
        return Response(self.get_serializer(address).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, pk=None):
        address = address_book.address_get_for_user(user=request.user, address_id=int(pk))
        return Response(self.get_serializer(address).data)

    def partial_update(self, request, pk=None):
        payload = self.get_serializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        address = address_book.address_update(user=request.user, address_id=int(pk), **payload.validated_data)
        return Response(self.get_serializer(address).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        address_book.address_delete(user=request.user, address_id=int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
