"""The search box's trigram index over research output titles, on PostgreSQL only.

`title__icontains` (the search page and the Research Output list) is `UPPER(title) LIKE '%…%'`
on PostgreSQL: without this index a sequential scan of every output (1.7 s at 1,000,000 outputs,
BENCHMARKS.md). Built CONCURRENTLY so a live portal keeps writing. pg_trgm is created by 0002
already; TrigramExtension says here that this index needs it.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from portal.search_indexes import AddSearchIndex


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY runs outside a transaction.
    atomic = False

    dependencies = [("portal", "0006_auth_user_username_upper_index")]

    operations = [
        TrigramExtension(),
        AddSearchIndex(
            model_name="researchoutput", fields=("title",), name="output_title_trgm_idx"
        ),
    ]
