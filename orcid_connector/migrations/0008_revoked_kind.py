"""What sort of ending each ended ORCID authorisation had, filled from today's reasons.

Before this field, the kind was read from the start of `revoked_reason`, which the code wrote
in exactly four shapes: "Disconnected in the portal; …" (the researcher's or the Library's
"Disconnect"), "Replaced by a new authorisation." (a new grant), "ORCID refused the access
token during export (…)" and ORCID's merged/deactivated message ("…; reconnect with the
current iD."). Any other ended row is counted as a record gone: it was not asked for.
"""

from django.db import migrations, models

KINDS_BY_PREFIX = [
    ("Disconnected", "disconnected"),
    ("Replaced", "replaced"),
    ("ORCID refused the access token", "token-refused"),
]


def fill_kinds(apps, schema_editor):
    authorizations = apps.get_model("orcid_connector", "OrcidAuthorization")
    ended = authorizations.objects.filter(revoked_at__isnull=False, revoked_kind="")
    for prefix, kind in KINDS_BY_PREFIX:
        ended.filter(revoked_reason__startswith=prefix).update(revoked_kind=kind)
    ended.update(revoked_kind="record-gone")


class Migration(migrations.Migration):
    dependencies = [
        ("orcid_connector", "0007_sent_marks"),
    ]

    operations = [
        migrations.AddField(
            model_name="orcidauthorization",
            name="revoked_kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("disconnected", "Disconnected in the portal"),
                    ("replaced", "Replaced by a new authorisation"),
                    ("token-refused", "ORCID refused the access token"),
                    ("record-gone", "The ORCID record was merged or deactivated"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(fill_kinds, migrations.RunPython.noop, elidable=False),
    ]
