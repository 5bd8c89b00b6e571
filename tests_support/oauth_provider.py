"""A local Google and GitHub for the social sign-in tests: a small OAuth2 / OpenID Connect provider on
a free port of this machine (plain http.server, one thread per request), so no test needs the internet.

It plays both providers under their own prefixes, with the endpoints the shop calls:

    /google/authorize   /google/token (JSON, with an ID token)   /google/userinfo
    /github/authorize   /github/token (form-encoded, as GitHub)  /github/user   /github/user/emails

`/authorize` stands for the user approving at the provider: it sends the browser straight back to the
`redirect_uri` with a one-time `code` and the request's `state` (or `?error=access_denied` when the test
says the user said no). `/token` checks what a real provider checks: the client's id and secret, that the
code is one it issued, unused, not expired, for that `redirect_uri`, and the PKCE verifier against the
S256 challenge of the authorization request. Who signs in is the test's to say (`sign_in_as`); `down`
makes every endpoint answer 500.

The `oauth_provider` fixture starts one per test process, points the shop's settings at it with
credentials for both providers, and resets it for each test.
"""

import base64
import copy
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest

CLIENT = {"google": ("google-client-id", "google-client-secret"), "github": ("github-client-id", "gh-secret")}
ISSUER = "https://accounts.google.test"
CODE_SECONDS = 60


@dataclass
class Identity:
    """The provider's user: `verified` is Google's email_verified, and GitHub's flag on the primary address."""

    uid: str
    email: str
    verified: bool = True
    first_name: str = "Ada"
    last_name: str = "Lovelace"
    login: str = "ada"
    extra_emails: list[dict] = field(default_factory=list)  # GitHub's other addresses


@dataclass
class _Grant:
    provider: str
    identity: Identity
    redirect_uri: str
    challenge: str
    expires: float
    used: bool = False


class LocalProvider:
    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.provider = self
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.identity = {
            "google": Identity(uid="g-1001", email="ada@example.com"),
            "github": Identity(uid="4242", email="ada@example.com"),
        }
        self.deny = False  # the user says no at the provider
        self.down = False  # every endpoint answers 500
        self.authorize_requests: list[dict] = []
        self._grants: dict[str, _Grant] = {}
        self._tokens: dict[str, Identity] = {}

    def sign_in_as(self, provider: str, **identity) -> Identity:
        self.identity[provider] = Identity(**identity)
        return self.identity[provider]

    def issue_code(self, provider: str, *, redirect_uri: str, challenge: str = "") -> str:
        """A code as /authorize would hand out (for REST clients' tests, which skip the browser)."""
        code = secrets.token_urlsafe(16)
        with self._lock:
            self._grants[code] = _Grant(
                provider, self.identity[provider], redirect_uri, challenge, time.time() + CODE_SECONDS
            )
        return code

    def expire_codes(self) -> None:
        with self._lock:
            for grant in self._grants.values():
                grant.expires = 0

    def start(self) -> None:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def settings_for(self, base: dict) -> dict:
        """SOCIALACCOUNT_PROVIDERS with credentials for both providers and every endpoint here."""
        providers = copy.deepcopy(base)
        for name, (client_id, secret) in CLIENT.items():
            providers[name]["APPS"] = [{"client_id": client_id, "secret": secret}]
            providers[name]["AUTHORIZE_URL"] = f"{self.url}/{name}/authorize"
            providers[name]["ACCESS_TOKEN_URL"] = f"{self.url}/{name}/token"
        providers["google"]["IDENTITY_URL"] = f"{self.url}/google/userinfo"
        providers["google"]["ID_TOKEN_ISSUER"] = ISSUER
        providers["google"]["CERTS_URL"] = f"{self.url}/google/certs"  # unused: tokens come straight
        providers["github"]["PROFILE_URL"] = f"{self.url}/github/user"
        providers["github"]["EMAILS_URL"] = f"{self.url}/github/user/emails"
        return providers

    # --- The endpoints -----------------------------------------------------------------------------

    def authorize(self, provider: str, query: dict) -> str:
        """Where the browser goes next: back to the client with a code, or with the user's refusal."""
        self.authorize_requests.append(query)
        back = query["redirect_uri"]
        state = {"state": query["state"]} if "state" in query else {}
        if query.get("client_id") != CLIENT[provider][0]:
            return f"{back}?{urlencode({'error': 'invalid_client', **state})}"
        if self.deny:
            return f"{back}?{urlencode({'error': 'access_denied', **state})}"
        if query.get("code_challenge") and query.get("code_challenge_method") != "S256":
            return f"{back}?{urlencode({'error': 'invalid_request', **state})}"
        code = self.issue_code(provider, redirect_uri=back, challenge=query.get("code_challenge", ""))
        return f"{back}?{urlencode({'code': code, **state})}"

    def token(self, provider: str, form: dict) -> tuple[int, dict]:
        client_id, secret = CLIENT[provider]
        if (form.get("client_id"), form.get("client_secret")) != (client_id, secret):
            return 401, {"error": "invalid_client"}
        with self._lock:
            grant = self._grants.get(form.get("code", ""))
            if grant is None or grant.used or grant.provider != provider or grant.expires < time.time():
                return 400, {"error": "invalid_grant", "error_description": "unknown, used or expired code"}
            grant.used = True
        if form.get("redirect_uri") != grant.redirect_uri:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri mismatch"}
        if grant.challenge and _s256(form.get("code_verifier", "")) != grant.challenge:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        access = secrets.token_urlsafe(24)
        self._tokens[access] = grant.identity
        answer = {"access_token": access, "token_type": "bearer", "expires_in": 3600}
        if provider == "google":
            answer["id_token"] = jwt.encode(
                {**_google_claims(grant.identity), "iss": ISSUER, "aud": client_id, "exp": time.time() + 600},
                secrets.token_hex(16),  # never checked: the shop got it straight from /token
                algorithm="HS256",
            )
        return 200, answer

    def resource(self, path: str, authorization: str) -> tuple[int, object]:
        identity = self._tokens.get(authorization.partition(" ")[2])
        if identity is None:
            return 401, {"message": "Bad credentials"}
        if path == "/google/userinfo":
            return 200, _google_claims(identity)
        if path == "/github/user":
            name = f"{identity.first_name} {identity.last_name}".strip()
            return 200, {"id": int(identity.uid), "login": identity.login, "name": name, "email": None}
        if path == "/github/user/emails":
            primary = {"email": identity.email, "primary": True, "verified": identity.verified}
            return 200, [primary, *identity.extra_emails]
        return 404, {"message": "Not Found"}


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _google_claims(identity: Identity) -> dict:
    return {
        "sub": identity.uid,
        "email": identity.email,
        "email_verified": identity.verified,
        "name": f"{identity.first_name} {identity.last_name}".strip(),
        "given_name": identity.first_name,
        "family_name": identity.last_name,
    }


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):  # quiet
        pass

    @property
    def provider(self) -> LocalProvider:
        return self.server.provider

    def _send(self, status: int, body, *, form: bool = False) -> None:
        data = (urlencode(body) if form else json.dumps(body)).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-www-form-urlencoded" if form else "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlsplit(self.path)
        if self.provider.down:
            return self._send(500, {"error": "server_error"})
        name, _, rest = url.path.strip("/").partition("/")
        if rest == "authorize" and name in CLIENT:
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            self.send_response(302)
            self.send_header("Location", self.provider.authorize(name, query))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return self._send(*self.provider.resource(url.path, self.headers.get("Authorization", "")))

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
        if self.provider.down:
            return self._send(500, {"error": "server_error"})
        name = urlsplit(self.path).path.strip("/").partition("/")[0]
        if name not in CLIENT:
            return self._send(404, {"error": "not_found"})
        status, body = self.provider.token(name, form)
        # GitHub answers the token request form-encoded (allauth reads both), Google as JSON.
        return self._send(status, body, form=name == "github" and status == 200)


@pytest.fixture(scope="session")
def _local_oauth_provider():
    provider = LocalProvider()
    provider.start()
    yield provider
    provider.stop()


@pytest.fixture
def oauth_provider(_local_oauth_provider, settings):
    """The local provider, reset, with the shop's Google and GitHub pointed at it (credentials set)."""
    _local_oauth_provider.reset()
    settings.SOCIALACCOUNT_PROVIDERS = _local_oauth_provider.settings_for(settings.SOCIALACCOUNT_PROVIDERS)
    return _local_oauth_provider
