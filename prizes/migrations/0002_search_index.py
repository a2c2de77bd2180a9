"""The search box's trigram index over Prizes / Honours (their `search_fields`), on PostgreSQL only.

Built from the expression the search compares (portal.search_indexes); SQLite is left as it was.
"""

from django.db import migrations

from portal.search_indexes import AddSearchIndex


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY runs outside a transaction.
    atomic = False

    dependencies = [
        ("prizes", "0001_initial"),
        ("portal", "0007_output_title_search_index"),
    ]

    operations = [
        AddSearchIndex(
            model_name="prize",
            fields=("title", "organisation"),
            name="prize_search_trgm_idx",
        ),
    ]
