# The constraint in a migration of its own, after 0008 filled the rows.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orcid_connector", "0008_revoked_kind"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="orcidauthorization",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("revoked_at__isnull", True), ("revoked_kind", "")),
                    models.Q(
                        ("revoked_at__isnull", False),
                        models.Q(("revoked_kind", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="orcid_authorization_revoked_kind_with_revoked_at",
            ),
        ),
    ]
