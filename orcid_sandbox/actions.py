"""Every write to the registry: accounts, sign-ins, clients, tokens, record items.

ORCID iDs are minted from the sandbox's own block 0000-0000-xxxx-xxxC (sequential, with the
ISO 7064 MOD 11-2 check character from `identifiers.orcid_check_digit`). ORCID issues iDs from
0000-0001-5000-0000 up to 0000-0003-5000-0000 and from 0009-0000-0000-0000 onwards, so no iD
minted here can ever be somebody's real iD, yet every one passes any client's checksum test.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError
from django.db.models import Max
from django.utils import timezone

import identifiers
from orcid_sandbox.choices import Visibility
from orcid_sandbox.database import registry_atomic
from orcid_sandbox.models import AccessToken, Account, Client, ResearcherUrl, SignInSession, Work
from orcid_sandbox.models.record import SourcedItem

# The sandbox mints iDs in 0000-0000-xxxx-xxxC: ORCID's issued ranges start at
# 0000-0001-5000-0000 and 0009-0000-0000-0000, so these can never be somebody's real iD.
SANDBOX_BLOCK_PREFIX = "00000000"
SIGN_IN_LIFETIME = timedelta(hours=8)
MINT_ATTEMPTS = 5
TOKEN_LIFETIME = 631_138_518  # seconds, about 20 years, as ORCID's long-lived tokens


def format_orcid(base15: str) -> str:
    digits = base15 + identifiers.orcid_check_digit(base15)
    return "-".join(digits[index : index + 4] for index in range(0, 16, 4))


def next_orcid() -> str:
    """The next unused iD of the sandbox block."""
    taken = Account.objects.filter(orcid__startswith="0000-0000-").values_list("orcid", flat=True)
    highest = max((int(orcid.replace("-", "")[8:15]) for orcid in taken), default=0)
    return format_orcid(f"{SANDBOX_BLOCK_PREFIX}{highest + 1:07d}")


@registry_atomic()
def do_create_account(
    *,
    email: str,
    password: str,
    given_names: str,
    family_name: str = "",
    orcid: str = "",
    credit_name: str = "",
) -> Account:
    """Register an account; mints an iD unless one is given (demo and tests)."""
    fields = {
        "email": email.strip().lower(),
        "password": make_password(password),
        "given_names": given_names.strip(),
        "family_name": family_name.strip(),
        "credit_name": credit_name.strip(),
    }
    if orcid:
        return Account.objects.create(
            orcid=identifiers.normalise(identifiers.Scheme.ORCID, orcid), **fields
        )
    # Two registrations at once may pick the same next iD; the loser takes the one after.
    for _ in range(MINT_ATTEMPTS):
        try:
            with registry_atomic():
                return Account.objects.create(orcid=next_orcid(), **fields)
        except IntegrityError:
            if Account.objects.filter(email=fields["email"]).exists():
                raise
    raise IntegrityError("no free ORCID iD after several attempts")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def do_sign_in(account: Account) -> str:
    """Start a browser sign-in; returns the cookie value (only its hash is stored)."""
    key = secrets.token_urlsafe(32)
    SignInSession.objects.create(
        account=account, key_hash=hash_key(key), expires_at=timezone.now() + SIGN_IN_LIFETIME
    )
    return key


def do_sign_out(key: str) -> None:
    SignInSession.objects.filter(key_hash=hash_key(key)).delete()


def new_client_id() -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "APP-" + "".join(secrets.choice(alphabet) for _ in range(16))


@registry_atomic()
def do_register_client(
    *,
    name: str,
    website: str,
    redirect_uris: list[str],
    owner: Account | None = None,
    client_id: str = "",
    client_secret: str = "",
    allow_assertion_origin: bool = False,
) -> tuple[Client, str]:
    """Register a member client; returns it with its secret (shown once, stored hashed)."""
    secret = client_secret or secrets.token_urlsafe(24)
    client, _ = Client.objects.update_or_create(
        client_id=client_id or new_client_id(),
        defaults={
            "secret_hash": make_password(secret),
            "name": name,
            "website": website,
            "redirect_uris": "\n".join(redirect_uris),
            "owner": owner,
            "allow_assertion_origin": allow_assertion_origin,
        },
    )
    return client, secret


@registry_atomic()
def do_revoke_client_access(account: Account, client: Client) -> int:
    """ "Revoke access": every live token the client holds for this account stops working."""
    return client.tokens.filter(account=account, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@registry_atomic()
def do_update_personal_data(
    account: Account,
    *,
    given_names: str,
    family_name: str,
    credit_name: str,
    names_visibility: str,
    other_names: str,
    country: str,
    keywords: str,
    biography: str,
    websites: list[tuple[str, str]],
    acting_account: Account,
) -> Account:
    """The researcher edits their own personal data; their own websites are replaced,
    links that clients added stay."""
    if acting_account.pk != account.pk:
        raise PermissionError("only the record's owner edits its personal data")
    account.given_names = given_names
    account.family_name = family_name
    account.credit_name = credit_name
    account.names_visibility = names_visibility
    account.other_names = other_names
    account.country = country
    account.keywords = keywords
    account.biography = biography
    account.save(
        update_fields=[
            "given_names",
            "family_name",
            "credit_name",
            "names_visibility",
            "other_names",
            "country",
            "keywords",
            "biography",
            "updated_at",
        ]
    )
    account.researcher_urls.filter(source_client__isnull=True).delete()
    for index, (name, url) in enumerate(websites):
        ResearcherUrl.objects.create(
            account=account, source_client=None, name=name, url=url, display_index=index
        )
    return account


@registry_atomic()
def do_issue_token(account: Account, client: Client, scope: str) -> AccessToken:
    """A long-lived token for this record and client, as a completed authorization gives."""
    return AccessToken.objects.create(
        access_token=str(uuid.uuid4()),
        refresh_token=str(uuid.uuid4()),
        client=client,
        account=account,
        scope=scope,
        expires_in=TOKEN_LIFETIME,
    )


@registry_atomic()
def do_deprecate_account(account: Account, *, primary: Account) -> Account:
    """Merge a duplicate record into its primary: the API answers 301 / 9007 towards it."""
    if primary.pk == account.pk or primary.primary_orcid:
        raise ValueError("the primary record must be another, active record")
    account.primary_orcid = primary.orcid
    account.save(update_fields=["primary_orcid", "updated_at"])
    return account


@registry_atomic()
def do_make_preferred(work: Work, *, acting_account: Account) -> Work:
    """ "Make preferred": the work outranks every other on the record (ORCID's max + 1)."""
    if acting_account.pk != work.account_id:
        raise PermissionError("only the record's owner picks the preferred source")
    others = Work.objects.filter(account_id=work.account_id).exclude(pk=work.pk)
    highest = others.aggregate(top=Max("display_index"))["top"] or 0
    work.display_index = highest + 1
    work.save(update_fields=["display_index", "updated_at"])
    return work


@registry_atomic()
def do_set_visibility(
    item: SourcedItem, visibility: str, *, acting_account: Account
) -> SourcedItem:
    """The researcher decides who sees an item: everyone, trusted parties or only them."""
    if acting_account.pk != item.account_id:
        raise PermissionError("only the record's owner sets visibility")
    if visibility not in Visibility.values:
        raise ValueError(f"unknown visibility {visibility!r}")
    item.visibility = visibility
    item.save(update_fields=["visibility", "updated_at"])
    return item


@registry_atomic()
def do_delete_item(item: SourcedItem, *, acting_account: Account) -> None:
    """The researcher deletes an item from their record, whoever its source; the source's
    put-code then answers 404, as on ORCID."""
    if acting_account.pk != item.account_id:
        raise PermissionError("only the record's owner deletes items from it")
    item.delete()
