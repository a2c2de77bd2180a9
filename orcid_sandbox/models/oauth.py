"""OAuth 2.0 clients, authorization codes, tokens and the OpenID Connect signing key."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.db import models
from django.utils import timezone

from orcid_sandbox.models.accounts import Account


class Client(models.Model):
    """A member API client ("APP-" + 16 characters, or a legacy iD-shaped id)."""

    client_id = models.CharField(max_length=40, unique=True)
    secret_hash = models.CharField(max_length=200)
    name = models.CharField(max_length=150)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    redirect_uris = models.TextField(help_text="One URI per line; matched exactly.")
    # Search-and-link wizards (Scopus) write items with the researcher as assertion origin.
    allow_assertion_origin = models.BooleanField(default=False)
    owner = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="clients"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    def redirect_uri_list(self) -> list[str]:
        return [line.strip() for line in self.redirect_uris.splitlines() if line.strip()]

    # --- authlib's ClientMixin ---------------------------------------------------------

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        uris = self.redirect_uri_list()
        return uris[0] if uris else None

    def get_allowed_scope(self, scope: str) -> str:
        from orcid_sandbox.choices import Scope

        allowed = set(Scope.values)
        return " ".join(item for item in (scope or "").split() if item in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uri_list()

    def check_client_secret(self, client_secret: str) -> bool:
        return check_password(client_secret, self.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in {"client_secret_post", "client_secret_basic"}

    def check_response_type(self, response_type: str) -> bool:
        # "token" is the implicit flow, which ORCID offers for /authenticate and openid.
        return response_type in {"code", "token"}

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in {"authorization_code", "refresh_token", "client_credentials"}


class AuthorizationCode(models.Model):
    """A single-use 6-character code; a second use revokes the tokens the first one gave."""

    code = models.CharField(max_length=6, unique=True)
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    account = models.ForeignKey(Account, on_delete=models.CASCADE)
    redirect_uri = models.TextField()
    scope = models.TextField()
    nonce = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.code

    # --- authlib's AuthorizationCodeMixin ----------------------------------------------

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce or None

    def get_auth_time(self) -> int:
        return int(self.created_at.timestamp())

    def get_acr(self) -> str | None:
        return None

    def get_amr(self) -> list[str] | None:
        return ["pwd"]

    def is_expired(self) -> bool:
        return (timezone.now() - self.created_at).total_seconds() > 600


class AccessToken(models.Model):
    """An access token with its refresh token; revoking keeps the row for the audit trail."""

    access_token = models.CharField(max_length=64, unique=True)
    refresh_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    token_type = models.CharField(max_length=20, default="bearer")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="tokens")
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.CASCADE, related_name="tokens"
    )
    scope = models.TextField()
    issued_at = models.DateTimeField(default=timezone.now)
    expires_in = models.BigIntegerField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    authorization_code = models.ForeignKey(
        AuthorizationCode, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"token of {self.client.name}"

    def scopes(self) -> set[str]:
        return set(self.scope.split())

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired()

    # --- authlib's TokenMixin ------------------------------------------------------------

    def check_client(self, client: Client) -> bool:
        return self.client_id == client.pk

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return int(self.expires_in)

    def is_expired(self) -> bool:
        return (timezone.now() - self.issued_at).total_seconds() > self.expires_in

    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def get_user(self) -> Account | None:
        return self.account

    def get_client(self) -> Client:
        return self.client


class SigningKey(models.Model):
    """The RSA key that signs OpenID Connect id_tokens (made on first use, kept in this DB)."""

    kid = models.CharField(max_length=64, unique=True)
    private_pem = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.kid
