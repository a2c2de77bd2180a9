"""The registry's OAuth 2.0 / OpenID Connect server, built on Authlib's server side.

Why Authlib rather than django-oauth-toolkit (the design's first choice): django-oauth-toolkit
ties its applications and tokens to AUTH_USER_MODEL, and Django's user table is the portal's.
The sandbox stands for another organisation, so its accounts and tokens live in its own
database; Authlib's grants work with any models that offer its small mixin methods.

ORCID's particulars (reference orcid-api.md §1.2) on top of RFC 6749: 6-character single-use
codes whose reuse revokes the tokens they gave; UUID tokens lasting 631,138,518 s; token
responses carrying `name` and `orcid`; `openid` adds an RS256 `id_token`; refresh with an
optional `revoke_old=true`, a narrower `scope` and a shorter `expires_in`; client credentials
give `/read-public` with `orcid: null`; the implicit flow (`response_type=token`) only for
`/authenticate` and `openid`, its tokens lasting 599 s, delivered in the redirect's fragment.
"""

from __future__ import annotations

import os
import secrets
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from authlib.integrations.django_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import (
    AccessDeniedError,
    InvalidClientError,
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
)
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.util import create_half_hash
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import RSAKey

from orcid_sandbox import actions
from orcid_sandbox.actions import TOKEN_LIFETIME
from orcid_sandbox.choices import THREE_LEGGED_SCOPES, Scope
from orcid_sandbox.models import AccessToken, Account, AuthorizationCode, Client, SigningKey

CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
IMPLICIT_LIFETIME = 599  # seconds: ORCID's implicit tokens last ten minutes
IMPLICIT_SCOPES = {Scope.AUTHENTICATE, Scope.OPENID}
ID_TOKEN_LIFETIME = 3600


def issuer() -> str:
    return settings.ORCID_SANDBOX_BASE_URL


def signing_key() -> tuple[SigningKey, RSAKey]:
    """The id_token signing key, made on first use and kept in the registry's database."""
    stored = SigningKey.objects.order_by("created_at").first()
    if stored is None:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        stored = actions.do_create_signing_key(
            kid=f"sandbox-{uuid.uuid4().hex[:12]}", private_pem=pem
        )
    key = RSAKey.import_key(stored.private_pem, {"kid": stored.kid, "use": "sig", "alg": "RS256"})
    return stored, key


def orcid_token(
    grant_type: str,
    client: Client,
    user: Account | None = None,
    scope: str | None = None,
    expires_in: int | None = None,
    include_refresh_token: bool = True,
) -> dict[str, Any]:
    """A token response in ORCID's shape (registered as Authlib's token generator)."""
    token: dict[str, Any] = {
        "access_token": str(uuid.uuid4()),
        "token_type": "bearer",
        "refresh_token": str(uuid.uuid4()),
        "expires_in": expires_in or TOKEN_LIFETIME,
        "scope": scope or "",
        # The public name only: a researcher who hides their names gives clients null.
        "name": user.display_name
        if user is not None and user.names_visibility == "public"
        else None,
        "orcid": user.orcid if user is not None else None,
    }
    if not include_refresh_token:
        del token["refresh_token"]
    return token


class OrcidAuthorizationServer(AuthorizationServer):  # type: ignore[misc]  # Authlib ships no type hints
    """Authlib's Django server storing tokens with the account, not a Django user."""

    def query_client(self, client_id: str) -> Client | None:
        # No client id holds NUL, and PostgreSQL refuses it even as a query parameter.
        if not client_id or "\x00" in client_id:
            return None
        return Client.objects.filter(client_id=client_id).first()

    def save_token(self, token: dict[str, Any], request: Any) -> AccessToken:
        return actions.do_store_token(
            token,
            account=request.user,
            authorization_code=getattr(request, "authorization_code", None),
            acting_client=request.client,
        )


MAX_NONCE = 200  # AuthorizationCode.nonce's length


def check_nonce(payload: Any) -> None:
    """An OpenID nonce is kept with the code: refuse what no column (or PostgreSQL) holds."""
    nonce = payload.data.get("nonce") or ""
    if len(nonce) > MAX_NONCE or "\x00" in nonce:
        raise InvalidRequestError(
            f"nonce must be at most {MAX_NONCE} characters, without NUL", state=payload.state
        )


class CodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]  # Authlib ships no type hints
    """Authorization code grant with ORCID's 6-character, single-use codes."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_post", "client_secret_basic"]

    def validate_authorization_request(self) -> str:
        redirect_uri: str = super().validate_authorization_request()
        check_nonce(self.request.payload)
        return redirect_uri

    def validate_requested_scope(self) -> None:
        # The researcher grants only the three-legged scopes; /read-public is two-legged.
        requested = set((self.request.payload.scope or "").split())
        if not requested or not requested <= THREE_LEGGED_SCOPES:
            raise InvalidScopeError(
                "Ask for some of /authenticate /read-limited /activities/update /person/update "
                "openid"
            )
        super().validate_requested_scope()

    def validate_token_request(self) -> None:
        # ORCID takes redirect_uri as optional when exchanging a code (reference §1.2); when
        # one is sent it must still be exactly the one the code was issued for.
        data = self.request.payload.data
        if not data.get("redirect_uri"):
            issued = AuthorizationCode.objects.filter(code=str(data.get("code") or "")).first()
            if issued is not None:
                data["redirect_uri"] = issued.redirect_uri
        super().validate_token_request()

    def generate_authorization_code(self) -> str:
        while True:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
            if not AuthorizationCode.objects.filter(code=code).exists():
                return code

    def save_authorization_code(self, code: str, request: Any) -> AuthorizationCode:
        return actions.do_grant_authorization_code(
            code,
            client=request.client,
            redirect_uri=request.payload.redirect_uri or "",
            scope=request.payload.scope or "",
            nonce=request.payload.data.get("nonce") or "",
            acting_account=request.user,
        )

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        if "\x00" in code:  # in no code, and refused by PostgreSQL even as a parameter
            return None
        item = AuthorizationCode.objects.filter(code=code, client=client).first()
        if item is None or item.is_expired():
            return None
        if item.used_at is not None:
            # A replayed code may be stolen: everything it gave stops working.
            actions.do_punish_code_replay(item, acting_client=client)
            raise InvalidGrantError(f"Reused authorization code: {code}")
        return item

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        # Kept, marked used, so that a replay can be recognised and punished.
        actions.do_use_authorization_code(authorization_code, acting_client=self.request.client)

    def authenticate_user(self, authorization_code: AuthorizationCode) -> Account:
        return authorization_code.account


class RefreshGrant(grants.RefreshTokenGrant):  # type: ignore[misc]  # Authlib ships no type hints
    """Refresh; the old token stays valid unless the client asks `revoke_old=true`."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_post", "client_secret_basic"]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> AccessToken | None:
        if "\x00" in refresh_token:  # as for codes above
            return None
        token = AccessToken.objects.filter(refresh_token=refresh_token).first()
        if token is None or token.revoked_at is not None:
            return None
        return token

    def authenticate_user(self, refresh_token: AccessToken) -> Account | None:
        return refresh_token.account

    def issue_token(self, user: Account, refresh_token: AccessToken) -> dict[str, Any]:
        # ORCID lets the client ask for a shorter life than the old token has left.
        asked = str(self.request.payload.data.get("expires_in") or "").strip()
        expires_in = None
        if asked:
            remaining = int(
                refresh_token.expires_in
                - (timezone.now() - refresh_token.issued_at).total_seconds()
            )
            if not (asked.isascii() and asked.isdigit()) or not 0 < int(asked) <= remaining:
                raise InvalidRequestError(
                    f"expires_in must be a whole number of seconds from 1 to {remaining}"
                )
            expires_in = int(asked)
        token: dict[str, Any] = self.generate_token(
            user=user,
            scope=self.request.payload.scope or refresh_token.get_scope(),
            expires_in=expires_in,
            include_refresh_token=self.INCLUDE_NEW_REFRESH_TOKEN,
        )
        return token

    def revoke_old_credential(self, refresh_token: AccessToken) -> None:
        if str(self.request.payload.data.get("revoke_old", "")).lower() == "true":
            actions.do_revoke_token(refresh_token, acting_client=self.request.client)


class ImplicitGrant(grants.ImplicitGrant):  # type: ignore[misc]  # Authlib ships no type hints
    """`response_type=token`: ORCID gives it only for /authenticate and openid, lasting 599 s;
    with openid the fragment carries an id_token too."""

    def authenticate_token_endpoint_client(self) -> Client:
        # The implicit flow has no client secret: the registered redirect URI is the check.
        client: Client | None = self.server.query_client(self.request.payload.client_id or "")
        if client is None:
            raise InvalidClientError(state=self.request.payload.state)
        return client

    def validate_authorization_request(self) -> str:
        redirect_uri: str = super().validate_authorization_request()
        check_nonce(self.request.payload)
        return redirect_uri

    def validate_requested_scope(self) -> None:
        requested = set((self.request.payload.scope or "").split())
        if not requested or not requested <= IMPLICIT_SCOPES:
            raise InvalidScopeError("The implicit flow gives /authenticate or openid only")
        super().validate_requested_scope()

    def create_authorization_response(
        self, redirect_uri: str, grant_user: Account | None
    ) -> tuple[int, str, list[tuple[str, str]]]:
        if grant_user is None:
            raise AccessDeniedError(redirect_uri=redirect_uri, redirect_fragment=True)
        self.request.user = grant_user
        token = self.generate_token(
            user=grant_user,
            scope=self.request.scope,
            expires_in=IMPLICIT_LIFETIME,
            include_refresh_token=False,
        )
        self.save_token(token)
        params = {key: str(value) for key, value in token.items() if value is not None}
        if Scope.OPENID in token["scope"].split():
            params["id_token"] = id_token(
                self.request.client,
                grant_user,
                nonce=self.request.payload.data.get("nonce") or "",
                access_token=token["access_token"],
            )
        if self.request.payload.state:
            params["state"] = self.request.payload.state
        return 302, "", [("Location", with_params(redirect_uri, params, fragment=True))]


def with_params(uri: str, params: dict[str, str], *, fragment: bool) -> str:
    """The redirect URI with parameters added to its query, or as its fragment."""
    encoded = urlencode(params)
    if fragment:
        return f"{uri.split('#', 1)[0]}#{encoded}"
    return f"{uri}{'&' if '?' in uri else '?'}{encoded}"


def id_token(client: Client, account: Account, *, nonce: str, access_token: str) -> str:
    """An RS256 id_token for the implicit flow (the code flow's comes from OrcidOpenIDCode)."""
    stored, key = signing_key()
    now = int(time.time())
    claims: dict[str, Any] = {
        **user_info(account),
        "iss": issuer(),
        "aud": [client.client_id],
        "iat": now,
        "exp": now + ID_TOKEN_LIFETIME,
        "auth_time": now,
        "jti": str(uuid.uuid4()),
        "amr": "pwd",
        # OpenID Connect Core §3.2.2.10: the left half of the access token's SHA-256.
        "at_hash": create_half_hash(access_token, "RS256").decode(),
    }
    if nonce:
        claims["nonce"] = nonce
    return jwt.encode({"alg": "RS256", "kid": stored.kid}, claims, key)


class ClientCredentialsGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]  # Authlib ships no type hints
    """Two-legged tokens for /read-public."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_post", "client_secret_basic"]

    def validate_requested_scope(self) -> None:
        requested = set((self.request.payload.scope or "").split())
        if requested != {Scope.READ_PUBLIC}:
            raise InvalidScopeError("Client credentials give the /read-public scope only")
        super().validate_requested_scope()


class OrcidOpenIDCode(OpenIDCode):  # type: ignore[misc]  # Authlib ships no type hints
    """OpenID Connect on the code flow: an RS256 id_token whose subject is the iD."""

    def exists_nonce(self, nonce: str, request: Any) -> bool:
        return False

    def resolve_client_private_key(self, client: Client) -> RSAKey:
        return signing_key()[1]

    def get_client_algorithm(self, client: Client) -> str:
        return "RS256"

    def get_encode_header(self, client: Client) -> dict[str, str]:
        return {"alg": "RS256", "kid": signing_key()[0].kid}

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        return {
            "iss": issuer(),
            "aud": [client.client_id],
            "exp": int(time.time()) + ID_TOKEN_LIFETIME,
            "jti": str(uuid.uuid4()),
            "amr": "pwd",
        }

    def generate_user_info(self, user: Account, scope: str) -> dict[str, Any]:
        return user_info(user)


def user_info(account: Account) -> dict[str, Any]:
    """The OpenID claims of an account (names only when public)."""
    claims: dict[str, Any] = {"sub": account.orcid}
    if account.names_visibility == "public":
        claims.update(
            name=account.display_name,
            given_name=account.given_names,
            family_name=account.family_name,
        )
    return claims


def build_server() -> OrcidAuthorizationServer:
    if settings.ORCID_SANDBOX_BASE_URL.startswith("http://"):
        # Authlib insists on HTTPS unless told otherwise; a sandbox served over plain HTTP on
        # loopback (the demo, the tests) is the case it makes this switch for.
        os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")
    server = OrcidAuthorizationServer(Client, AccessToken)
    server.register_token_generator("default", orcid_token)
    server.scopes_supported = list(Scope.values)
    server.register_grant(CodeGrant, [OrcidOpenIDCode(require_nonce=False)])
    server.register_grant(ImplicitGrant)
    server.register_grant(RefreshGrant)
    server.register_grant(ClientCredentialsGrant)
    return server


server = build_server()


def revoke_token(client: Client, token_value: str) -> bool:
    """`/oauth/revoke`: an access or refresh token of this client stops working."""
    if "\x00" in token_value:
        return False
    token = (
        AccessToken.objects.filter(client=client, access_token=token_value).first()
        or AccessToken.objects.filter(client=client, refresh_token=token_value).first()
    )
    if token is None:
        return False
    actions.do_revoke_token(token, acting_client=client)
    return True


def bearer_token(authorization_header: str) -> AccessToken | None:
    """The live token named by an `Authorization: Bearer …` header, if any."""
    scheme, _, value = authorization_header.partition(" ")
    # NUL can be in no token, and PostgreSQL refuses it even in a query's parameters.
    if scheme.lower() != "bearer" or not value.strip() or "\x00" in value:
        return None
    token = (
        AccessToken.objects.select_related("client", "account")
        .filter(access_token=value.strip())
        .first()
    )
    if token is None or not token.is_active:
        return None
    return token
