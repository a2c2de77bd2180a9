"""Who may do what on the portal: researchers edit their own profile, library staff edit anyone."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from portal.models import Person

LIBRARY_GROUP = "Library staff"


def is_library_staff(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Library staff curate every profile and verify identifiers."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return user.groups.filter(name=LIBRARY_GROUP).exists()  # type: ignore[union-attr]


def can_edit_person(user: AbstractBaseUser | AnonymousUser, person: Person) -> bool:
    """A researcher edits only their own profile; library staff edit anyone's."""
    if not user.is_authenticated:
        return False
    return person.user_id == user.pk or is_library_staff(user)


def can_verify_identifiers(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Only the library marks an identifier verified or rejected."""
    return is_library_staff(user)
