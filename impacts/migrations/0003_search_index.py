"""The search box's trigram index over Impact (their `search_fields`), on PostgreSQL only.

Built from the expression the search compares (portal.search_indexes); SQLite is left as it was.
"""

from django.db import migrations

from portal.search_indexes import AddSearchIndex


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY runs outside a transaction.
    atomic = False

    dependencies = [
        ("impacts", "0002_related_projects"),
        ("portal", "0007_output_title_search_index"),
    ]

    operations = [
        AddSearchIndex(
            model_name="impact",
            fields=("title", "description"),
            name="impact_search_trgm_idx",
        ),
    ]
