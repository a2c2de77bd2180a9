"""Who may do what on the portal: researchers edit their own profile, library staff edit anyone."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from portal.models import Person

LIBRARY_GROUP = "Library staff"


def is_library_staff(user: User | AnonymousUser) -> bool:
    """Library staff curate every profile and verify identifiers."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=LIBRARY_GROUP).exists()


def can_edit_person(user: User | AnonymousUser, person: Person) -> bool:
    """A researcher edits only their own profile; library staff edit anyone's."""
    if not user.is_authenticated:
        return False
    return person.user_id == user.pk or is_library_staff(user)


def can_verify_identifiers(user: User | AnonymousUser) -> bool:
    """Only the library marks an identifier verified or rejected."""
    return is_library_staff(user)
