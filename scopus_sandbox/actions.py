"""Every write of the Scopus sandbox beyond indexing: keys, feedback, merges, ORCID links."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone

from scopus_sandbox import crypto
from scopus_sandbox.choices import (
    FeedbackKindChoices,
    FeedbackStatusChoices,
    ProfileStatusChoices,
    SignInPurposeChoices,
)
from scopus_sandbox.database import scopus_atomic
from scopus_sandbox.indexing import AUTHOR_ID_BASE, next_numbers
from scopus_sandbox.models import (
    ApiKey,
    AuthorProfile,
    Authorship,
    FeedbackRequest,
    ProfileAlias,
    WizardSession,
)


def do_create_api_key(
    *, label: str, weekly_quota: int, key: str = "", acting_as: str = "console"
) -> ApiKey:
    """Register an API key (a random one unless given) with its weekly quota per API."""
    with scopus_atomic():
        api_key, _ = ApiKey.objects.update_or_create(
            key=key or secrets.token_hex(16),
            defaults={"label": label, "weekly_quota": weekly_quota, "active": True},
        )
    return api_key


def do_submit_feedback(
    profile: AuthorProfile,
    kind: FeedbackKindChoices,
    payload: dict[str, object],
    *,
    acting_as: str,
) -> FeedbackRequest:
    """Queue a correction; it is applied after SCOPUS_SANDBOX_FEEDBACK_DELAY_HOURS."""
    delay = datetime.timedelta(hours=settings.SCOPUS_SANDBOX_FEEDBACK_DELAY_HOURS)
    with scopus_atomic():
        return FeedbackRequest.objects.create(
            kind=kind,
            profile=profile,
            payload=payload,
            submitted_by=acting_as,
            due_at=timezone.now() + delay,
        )


def do_merge_profiles(
    survivor: AuthorProfile, others: Sequence[AuthorProfile], *, acting_as: str
) -> int:
    """Move the others' authorships to the survivor; the others forward to it from now on."""
    with scopus_atomic():
        ids = [p.pk for p in others if p.pk != survivor.pk]
        moved = Authorship.objects.filter(profile_id__in=ids).update(profile=survivor)
        AuthorProfile.objects.filter(pk__in=ids).update(
            status=ProfileStatusChoices.MERGED, merged_into=survivor
        )
        # Profiles that already forwarded to a merged one forward to the survivor directly.
        AuthorProfile.objects.filter(merged_into_id__in=ids).update(merged_into=survivor)
        if not survivor.orcid:
            orcid = next((p.orcid for p in others if p.orcid), "")
            if orcid:
                survivor.orcid = orcid
                survivor.save(update_fields=["orcid"])
    return moved


def do_split_profile(
    profile: AuthorProfile, groups: Sequence[Sequence[int]], *, acting_as: str
) -> list[AuthorProfile]:
    """Split a profile's authorships (pk groups) into new profiles; the old id answers aliases."""
    with scopus_atomic():
        next_id = next_numbers(AuthorProfile, "author_id", AUTHOR_ID_BASE)
        created = []
        for offset, group in enumerate(groups):
            new = AuthorProfile.objects.create(
                author_id=str(next_id + offset),
                given_name=profile.given_name,
                surname=profile.surname,
                block=profile.block,
            )
            Authorship.objects.filter(profile=profile, pk__in=group).update(profile=new)
            ProfileAlias.objects.create(retired=profile, profile=new)
            created.append(new)
        profile.status = ProfileStatusChoices.SPLIT
        profile.save(update_fields=["status"])
    return created


def do_remove_documents(
    profile: AuthorProfile, document_ids: Sequence[int], *, acting_as: str
) -> int:
    """Take documents off a profile: each removed authorship gets a profile of its own."""
    with scopus_atomic():
        authorships = list(profile.authorships.filter(document_id__in=document_ids))
        next_id = next_numbers(AuthorProfile, "author_id", AUTHOR_ID_BASE)
        for offset, authorship in enumerate(authorships):
            own = AuthorProfile.objects.create(
                author_id=str(next_id + offset),
                given_name=authorship.given_name,
                surname=authorship.surname,
                block=authorship.block,
            )
            authorship.profile = own
            authorship.save(update_fields=["profile"])
    return len(authorships)


def _apply(request: FeedbackRequest) -> str:
    profile = request.profile
    while profile.merged_into is not None:
        profile = profile.merged_into
    payload = request.payload
    if request.kind == FeedbackKindChoices.LINK_ORCID:
        orcid = str(payload["orcid"])
        # An ORCID iD belongs to one profile: a stale link elsewhere is dropped.
        AuthorProfile.objects.filter(orcid=orcid).exclude(pk=profile.pk).update(orcid="")
        profile.orcid = orcid
        profile.save(update_fields=["orcid"])
        return f"ORCID iD {orcid} linked"
    if request.kind == FeedbackKindChoices.MERGE:
        others = list(
            AuthorProfile.objects.filter(
                author_id__in=payload.get("author_ids", []), status=ProfileStatusChoices.ACTIVE
            )
        )
        moved = do_merge_profiles(profile, others, acting_as=request.submitted_by)
        return f"{len(others)} profile(s) merged, {moved} document(s) moved"
    if request.kind == FeedbackKindChoices.REMOVE_DOCUMENTS:
        ids = [int(pk) for pk in payload.get("document_ids", [])]
        removed = do_remove_documents(profile, ids, acting_as=request.submitted_by)
        return f"{removed} document(s) removed"
    profile.given_name = str(payload.get("given_name", profile.given_name))[:200]
    profile.surname = str(payload.get("surname", profile.surname))[:200] or profile.surname
    profile.save(update_fields=["given_name", "surname"])
    return f"preferred name set to {profile.display_name}"


def do_process_feedback(*, now: bool = False, acting_as: str = "feedback team") -> int:
    """Apply the queued corrections that are due (all of them with now=True)."""
    pending = FeedbackRequest.objects.filter(status=FeedbackStatusChoices.PENDING)
    if not now:
        pending = pending.filter(due_at__lte=timezone.now())
    applied = 0
    for request in pending.select_related("profile").order_by("id"):
        with scopus_atomic():
            request.outcome = _apply(request)
            request.status = FeedbackStatusChoices.APPLIED
            request.applied_at = timezone.now()
            request.save(update_fields=["outcome", "status", "applied_at"])
        applied += 1
    return applied


def do_start_sign_in(
    profile: AuthorProfile, purpose: SignInPurposeChoices, *, acting_as: str = "visitor"
) -> WizardSession:
    """Open a session that waits for ORCID's answer to a sign-in (its state guards the answer)."""
    with scopus_atomic():
        return WizardSession.objects.create(
            token=secrets.token_urlsafe(32),
            start_profile=profile,
            oauth_state=secrets.token_urlsafe(24),
            purpose=purpose,
        )


def do_record_sign_in(
    session: WizardSession, *, access_token: str, orcid: str, name: str, acting_as: str
) -> WizardSession:
    """Keep what ORCID answered the sign-in with: the iD, the name, the token (encrypted)."""
    with scopus_atomic():
        session.access_token_encrypted = crypto.encrypt(access_token)
        session.orcid = orcid[:19]
        session.orcid_name = name[:300]
        session.oauth_state = ""
        session.save(update_fields=["access_token_encrypted", "orcid", "orcid_name", "oauth_state"])
    return session


def do_save_wizard_choices(
    session: WizardSession,
    *,
    acting_as: str,
    chosen_profiles: Sequence[str] | None = None,
    preferred_name: dict[str, str] | None = None,
    removed_documents: Sequence[int] | None = None,
) -> WizardSession:
    """Keep what the researcher chose on a wizard step (profiles, name, documents to remove)."""
    changes = {
        "chosen_profiles": list(chosen_profiles) if chosen_profiles is not None else None,
        "preferred_name": preferred_name,
        "removed_documents": list(removed_documents) if removed_documents is not None else None,
    }
    fields = [name for name, value in changes.items() if value is not None]
    with scopus_atomic():
        for name in fields:
            setattr(session, name, changes[name])
        if fields:
            session.save(update_fields=fields)
    return session


def do_record_author_id_sent(
    session: WizardSession, profiles: Sequence[AuthorProfile], *, acting_as: str
) -> WizardSession:
    """ORCID took the Author ID: queue, once, the corrections the wizard gathered (the ORCID
    link, merges, removals, the preferred name) for the Author Feedback team."""
    with scopus_atomic():
        locked = WizardSession.objects.select_for_update().get(pk=session.pk)
        if locked.author_id_sent:
            return locked
        primary = profiles[0]
        do_submit_feedback(
            primary, FeedbackKindChoices.LINK_ORCID, {"orcid": locked.orcid}, acting_as=acting_as
        )
        if len(profiles) > 1:
            do_submit_feedback(
                primary,
                FeedbackKindChoices.MERGE,
                {"author_ids": [p.author_id for p in profiles[1:]]},
                acting_as=acting_as,
            )
        if locked.removed_documents:
            for profile in profiles:
                do_submit_feedback(
                    profile,
                    FeedbackKindChoices.REMOVE_DOCUMENTS,
                    {"document_ids": locked.removed_documents},
                    acting_as=acting_as,
                )
        name = locked.preferred_name
        if name and (name.get("given_name"), name.get("surname")) != (
            primary.given_name,
            primary.surname,
        ):
            do_submit_feedback(
                primary, FeedbackKindChoices.PREFERRED_NAME, name, acting_as=acting_as
            )
        locked.author_id_sent = True
        locked.save(update_fields=["author_id_sent"])
    return locked


def do_record_works_sent(session: WizardSession, count: int, *, acting_as: str) -> WizardSession:
    """Remember how many works the wizard sent to ORCID."""
    with scopus_atomic():
        session.works_sent = count
        session.save(update_fields=["works_sent"])
    return session
