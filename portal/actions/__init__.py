"""Every meaningful write to the portal's data: atomic, permission-checked, audited.

Views, the admin, commands and jobs all call these; nothing else saves portal models (the demo
generator's bulk import is the one batch path, and it audits per batch). One module per
sub-domain; this package re-exports their public names so callers import from `portal.actions`.
"""

from portal.actions.bulk import (
    do_import_rows,
    reset_primary_key_sequences,
)
from portal.actions.outputs import (
    OUTPUT_FIELDS,
    ContributorEntry,
    can_edit_output,
    do_add_author,
    do_create_output,
    do_mark_not_duplicate,
    do_merge_outputs,
    do_request_output_change,
    do_return_output,
    do_submit_output_for_validation,
    do_update_output,
    do_validate_output,
    do_validate_outputs,
    do_withdraw_output,
    normalise_output_identifier,
)
from portal.actions.persons import (
    EDITABLE_PROFILE_FIELDS,
    LIBRARY_PROFILE_FIELDS,
    check_identifier_free,
    do_add_person_identifier,
    do_add_person_link,
    do_record_authenticated_orcid,
    do_remove_person_identifier,
    do_remove_person_link,
    do_set_identifier_status,
    do_update_profile,
    normalise_person_identifier,
    search_text_for,
)

__all__ = [
    "ContributorEntry",
    "EDITABLE_PROFILE_FIELDS",
    "LIBRARY_PROFILE_FIELDS",
    "OUTPUT_FIELDS",
    "can_edit_output",
    "check_identifier_free",
    "do_add_author",
    "do_add_person_identifier",
    "do_add_person_link",
    "do_create_output",
    "do_import_rows",
    "do_mark_not_duplicate",
    "do_merge_outputs",
    "do_request_output_change",
    "do_return_output",
    "do_update_output",
    "do_validate_outputs",
    "do_withdraw_output",
    "do_record_authenticated_orcid",
    "do_remove_person_identifier",
    "do_remove_person_link",
    "do_set_identifier_status",
    "do_submit_output_for_validation",
    "do_update_profile",
    "do_validate_output",
    "normalise_output_identifier",
    "normalise_person_identifier",
    "reset_primary_key_sequences",
    "search_text_for",
]
