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
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError
from django.db.models import Max, QuerySet
from django.utils import timezone

import identifiers
from orcid_sandbox import rules, throttle
from orcid_sandbox.choices import ErrorCode, Visibility
from orcid_sandbox.database import registry_atomic
from orcid_sandbox.errors import RegistryError
from orcid_sandbox.models import (
    AccessToken,
    Account,
    Affiliation,
    AuthorizationCode,
    Client,
    Employment,
    Funding,
    OtherId,
    ResearcherUrl,
    SignInFailure,
    SigningKey,
    SignInSession,
    Work,
)
from orcid_sandbox.models.record import AffiliationItem, SourcedItem
from orcid_sandbox.parsing import WorkData, read_work

# The sandbox mints iDs in 0000-0000-xxxx-xxxC: ORCID's issued ranges start at
# 0000-0001-5000-0000 and 0009-0000-0000-0000, so these can never be somebody's real iD.
SANDBOX_BLOCK_PREFIX = "00000000"
SIGN_IN_LIFETIME = timedelta(hours=8)
MINT_ATTEMPTS = 5
TOKEN_LIFETIME = 631_138_518  # seconds, about 20 years, as ORCID's long-lived tokens
ActivityItem = TypeVar("ActivityItem", Employment, Affiliation, Funding)


def next_orcid() -> str:
    """The next unused iD of the sandbox block."""
    taken = Account.objects.filter(orcid__startswith="0000-0000-").values_list("orcid", flat=True)
    highest = max((int(orcid.replace("-", "")[8:15]) for orcid in taken), default=0)
    return identifiers.orcid_from_digits(f"{SANDBOX_BLOCK_PREFIX}{highest + 1:07d}")


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


@registry_atomic()
def do_sign_in(account: Account) -> str:
    """Start a browser sign-in; returns the cookie value (only its hash is stored).

    The account's failed sign-ins are forgotten: its owner knows the password."""
    SignInFailure.objects.filter(account_key=account.orcid).delete()
    key = secrets.token_urlsafe(32)
    SignInSession.objects.create(
        account=account, key_hash=hash_key(key), expires_at=timezone.now() + SIGN_IN_LIFETIME
    )
    return key


@registry_atomic()
def do_record_sign_in_failure(username: str, *, address: str, now: datetime) -> SignInFailure:
    """A wrong name or password, counted towards throttle.py's limits; failures that have
    left the window are dropped on the way."""
    key = throttle.account_key(username)
    address = throttle.address_of(address)
    expired = now - throttle.WINDOW
    SignInFailure.objects.filter(account_key=key, failed_at__lte=expired).delete()
    SignInFailure.objects.filter(address=address, failed_at__lte=expired).delete()
    return SignInFailure.objects.create(account_key=key, address=address, failed_at=now)


@registry_atomic()
def do_sign_out(key: str) -> None:
    """End a browser sign-in everywhere its cookie was used."""
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
def do_revoke_client_access(client: Client, *, acting_account: Account) -> int:
    """ "Revoke access": every live token the client holds for the researcher stops working."""
    return client.tokens.filter(account=acting_account, revoked_at__isnull=True).update(
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


# --- writes by member clients (the API) ------------------------------------------------------
# The acting client is the token's: it becomes the item's source, and only the source may change
# or delete an item later. Refusals are RegistryErrors with ORCID's codes, raised before any row
# is written, so the API answers them as they are.


def assertion_origin(account: Account, client: Client) -> Account | None:
    """The researcher, for clients that write on the researcher's behalf ("X via Scopus")."""
    return account if client.allow_assertion_origin else None


def check_source(item: SourcedItem, client: Client) -> None:
    """403/9010 unless the client wrote the item (ORCID: "You are not the source of the work")."""
    if item.source_client_id != client.pk:
        raise RegistryError(
            403,
            ErrorCode.NOT_THE_SOURCE,
            f"403 Forbidden: You are not the source of the {item._meta.verbose_name}",
        )


def check_visibility_kept(item: SourcedItem, visibility: str) -> None:
    """A client may not change an item's visibility; the researcher sets it (403/9035)."""
    if visibility and visibility != item.visibility:
        raise RegistryError(
            403,
            ErrorCode.VISIBILITY_CHANGE,
            "403 Forbidden: You cannot update the visibility of an item; the researcher sets it",
        )


WORK_FIELDS = (
    "title",
    "subtitle",
    "journal_title",
    "work_type",
    "publication_year",
    "publication_month",
    "publication_day",
    "url",
    "short_description",
    "external_ids",
    "extra",
)


def work_fields(data: WorkData) -> dict[str, Any]:
    return {
        "title": data.title,
        "subtitle": data.subtitle,
        "journal_title": data.journal_title,
        "work_type": data.work_type,
        "publication_year": data.year,
        "publication_month": data.month,
        "publication_day": data.day,
        "url": data.url,
        "short_description": data.short_description,
        "external_ids": data.external_ids,
        "extra": data.extra,
    }


def put_code_on_create() -> RegistryError:
    return RegistryError(
        400,
        ErrorCode.PUT_CODE_ON_CREATE,
        "400 Bad Request: Put-code must not be present when adding a work",
    )


@registry_atomic()
def do_add_work(
    account: Account,
    data: WorkData,
    *,
    acting_client: Client,
    index: dict[tuple[str, str], int] | None = None,
) -> Work:
    """A client adds a work to a record (409/9021 when it already added one with a self id).

    A bulk passes `index`, the self ids the client has on the record, and the work joins it;
    it has checked the record's capacity for all its works already."""
    if index is None:
        rules.check_capacity(account)
    if data.put_code is not None:
        raise put_code_on_create()
    rules.check_duplicate(account, acting_client, data.external_ids, index=index)
    work = Work.objects.create(
        account=account,
        source_client=acting_client,
        assertion_origin=assertion_origin(account, acting_client),
        display_index=1,
        **work_fields(data),
    )
    if index is not None:
        for key in rules.self_keys(data.external_ids):
            index.setdefault(key, work.pk)
    return work


@registry_atomic()
def do_add_works(
    account: Account, payloads: list[Any], *, acting_client: Client
) -> list[Work | RegistryError]:
    """A bulk of works (≤ 100): each added or refused on its own, in order (ORCID's bulk).

    Every work is checked first and those accepted are written together in one INSERT (a
    savepoint and an INSERT for each work cost a bulk most of its time)."""
    if len(payloads) > rules.MAX_BULK:
        raise RegistryError(
            400,
            ErrorCode.ILLEGAL_ARGUMENT,
            f"400 Bad Request: at most {rules.MAX_BULK} works per request",
        )
    rules.check_capacity(account, len(payloads))
    # The source's self ids, read once, to their put-codes; each work accepted joins them
    # (first unsaved, in `waiting`), so later items of the bulk are checked against it too.
    index = rules.self_key_index(account, acting_client)
    waiting: dict[tuple[str, str], Work] = {}
    unsaved: list[Work] = []
    origin = assertion_origin(account, acting_client)
    results: list[Work | RegistryError] = []

    def write_unsaved() -> None:
        Work.objects.bulk_create(unsaved)  # in order: put-codes rise as the bulk goes
        for key, work in waiting.items():
            index.setdefault(key, work.pk)
        waiting.clear()
        unsaved.clear()

    for payload in payloads:
        try:
            work = payload.get("work") if isinstance(payload, dict) else None
            data = read_work(work)
            if data.put_code is not None:
                raise put_code_on_create()
            keys = rules.self_keys(data.external_ids)
            if not keys.isdisjoint(waiting):
                write_unsaved()  # the refusal names the earlier work's put-code
            rules.check_duplicate(account, acting_client, data.external_ids, index=index)
        except RegistryError as error:
            results.append(error)
            continue
        added = Work(
            account=account,
            source_client=acting_client,
            assertion_origin=origin,
            display_index=1,
            **work_fields(data),
        )
        unsaved.append(added)
        for key in keys:
            waiting.setdefault(key, added)
        results.append(added)
    write_unsaved()
    return results


@registry_atomic()
def do_update_work(work: Work, data: WorkData, *, acting_client: Client) -> Work:
    """The work's source replaces it (same put-code, same visibility, no duplicate self id)."""
    check_source(work, acting_client)
    if data.put_code != work.pk:
        raise RegistryError(
            400,
            ErrorCode.PUT_CODE_MISMATCH,
            "400 Bad Request: The put-code in the body must match the URL",
        )
    check_visibility_kept(work, data.visibility)
    if not rules.self_keys(data.external_ids) <= rules.self_keys(work.external_ids):
        # A new self id may be another of the source's works' (the ids it keeps are its own:
        # no two works of a source share one, so they need no look at the others).
        rules.check_duplicate(work.account, acting_client, data.external_ids, exclude_pk=work.pk)
    for name, value in work_fields(data).items():
        setattr(work, name, value)
    work.save(update_fields=[*WORK_FIELDS, "updated_at"])
    return work


@registry_atomic()
def do_add_other_id(account: Account, data: dict[str, str], *, acting_client: Client) -> OtherId:
    """A client adds a person external identifier (409/9030 when it already added it)."""
    if OtherId.objects.filter(
        account=account, source_client=acting_client, id_type=data["id_type"], value=data["value"]
    ).exists():
        raise RegistryError(
            409,
            ErrorCode.DUPLICATE_PERSON_ITEM,
            "409 Conflict: You have already added this external identifier",
        )
    # Other IDs carry the client alone as source ("Source: Scopus - Elsevier"); assertion
    # origins are for activities written on the researcher's behalf.
    return OtherId.objects.create(
        account=account, source_client=acting_client, display_index=0, **data
    )


@registry_atomic()
def do_add_researcher_url(
    account: Account, data: dict[str, str], *, acting_client: Client
) -> ResearcherUrl:
    """A client adds a link to the record (409/9030 when it already added this URL)."""
    if ResearcherUrl.objects.filter(
        account=account, source_client=acting_client, url=data["url"]
    ).exists():
        raise RegistryError(
            409,
            ErrorCode.DUPLICATE_PERSON_ITEM,
            "409 Conflict: You have already added this researcher URL",
        )
    return ResearcherUrl.objects.create(
        account=account, source_client=acting_client, display_index=0, **data
    )


def same_section(item: AffiliationItem | Funding) -> QuerySet[Any]:
    """The record's items of the same section as `item` (its model, and its section)."""
    if isinstance(item, Affiliation):
        return Affiliation.objects.filter(account_id=item.account_id, section=item.section)
    return type(item)._default_manager.filter(account_id=item.account_id)


def check_activity_duplicate(item: AffiliationItem | Funding, client: Client) -> None:
    """409/9021 when the client already has an item of this section with one of its self
    ids (ORCID checks fundings and, since v3.0, affiliations too)."""
    others = same_section(item).filter(source_client=client)
    if item.pk is not None:
        others = others.exclude(pk=item.pk)
    rules.check_activity_duplicate(
        others.values_list("pk", "external_ids"),
        item.external_ids,
        normalise=not isinstance(item, Funding),
    )


def add_activity(item: ActivityItem, account: Account, client: Client) -> ActivityItem:
    item.account = account
    item.source_client = client
    item.assertion_origin = assertion_origin(account, client)
    item.display_index = 1
    check_activity_duplicate(item, client)
    item.save()
    return item


@registry_atomic()
def do_add_employment(
    account: Account, data: dict[str, Any], *, acting_client: Client
) -> Employment:
    """A client adds an employment affiliation to the record."""
    return add_activity(Employment(**data), account, acting_client)


@registry_atomic()
def do_add_affiliation(
    account: Account, section: str, data: dict[str, Any], *, acting_client: Client
) -> Affiliation:
    """A client adds a distinction, education, invited position, membership, qualification
    or service (409/9021 when it already added one with the same self id)."""
    return add_activity(Affiliation(section=section, **data), account, acting_client)


@registry_atomic()
def do_add_funding(account: Account, data: dict[str, Any], *, acting_client: Client) -> Funding:
    """A client adds a funding (409/9021 when it already added one with the same self id)."""
    return add_activity(Funding(**data), account, acting_client)


@registry_atomic()
def do_update_activity(
    item: ActivityItem, data: dict[str, Any], *, visibility: str, acting_client: Client
) -> ActivityItem:
    """The source of a funding or affiliation replaces its fields: visibility kept, and no
    self id another of its items of the section already has."""
    check_source(item, acting_client)
    check_visibility_kept(item, visibility)
    for name, value in data.items():
        setattr(item, name, value)
    check_activity_duplicate(item, acting_client)
    item.save(update_fields=[*data, "updated_at"])
    return item


@registry_atomic()
def do_update_item(
    item: SourcedItem, data: dict[str, str], *, visibility: str, acting_client: Client
) -> SourcedItem:
    """The source of a person item or employment replaces its fields (visibility kept)."""
    check_source(item, acting_client)
    check_visibility_kept(item, visibility)
    for name, value in data.items():
        setattr(item, name, value)
    item.save(update_fields=[*data, "updated_at"])
    return item


@registry_atomic()
def do_withdraw_item(item: SourcedItem, *, acting_client: Client) -> None:
    """The source of an item deletes it from the record; its put-code then answers 404."""
    check_source(item, acting_client)
    item.delete()


# --- OAuth: what the authorization server stores -----------------------------------------------
# Authlib calls these from its grants (oauth.py); the acting party is the client at the token
# endpoint and the signed-in researcher at the authorization endpoint.


@registry_atomic()
def do_store_token(
    token: dict[str, Any],
    *,
    account: Account | None,
    authorization_code: AuthorizationCode | None,
    acting_client: Client,
) -> AccessToken:
    """Keep a token Authlib issued to a client (for a record, or two-legged without one)."""
    return AccessToken.objects.create(
        access_token=token["access_token"],
        refresh_token=token.get("refresh_token"),
        client=acting_client,
        account=account,
        scope=token.get("scope", ""),
        expires_in=token["expires_in"],
        authorization_code=authorization_code,
    )


@registry_atomic()
def do_grant_authorization_code(
    code: str, *, client: Client, redirect_uri: str, scope: str, nonce: str, acting_account: Account
) -> AuthorizationCode:
    """The signed-in researcher authorizes a client: a single-use code for the redirect."""
    return AuthorizationCode.objects.create(
        code=code,
        client=client,
        account=acting_account,
        redirect_uri=redirect_uri,
        scope=scope,
        nonce=nonce,
    )


@registry_atomic()
def do_use_authorization_code(code: AuthorizationCode, *, acting_client: Client) -> None:
    """The code is exchanged: kept, marked used, so that a replay is recognised."""
    if code.client_id != acting_client.pk:
        raise PermissionError("only the client the code was issued to exchanges it")
    code.used_at = timezone.now()
    code.save(update_fields=["used_at"])


@registry_atomic()
def do_punish_code_replay(code: AuthorizationCode, *, acting_client: Client) -> int:
    """A used code came back, so it may be stolen: every token it gave stops working."""
    return AccessToken.objects.filter(
        authorization_code=code, client=acting_client, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


@registry_atomic()
def do_revoke_token(token: AccessToken, *, acting_client: Client) -> AccessToken:
    """A client revokes one of its own tokens (`/oauth/revoke`, or refresh with revoke_old)."""
    if token.client_id != acting_client.pk:
        raise PermissionError("a client revokes only its own tokens")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


@registry_atomic()
def do_create_signing_key(*, kid: str, private_pem: str) -> SigningKey:
    """The registry's id_token signing key, made on first use (two at once keep the first)."""
    key, _ = SigningKey.objects.get_or_create(kid=kid, defaults={"private_pem": private_pem})
    return key
