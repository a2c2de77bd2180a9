"""Author disambiguation for the Scopus sandbox: signatures → author profiles. Pure Python.

The indexing pipeline hands over plain `Signature`s (one author position on one paper, name as
printed plus the evidence around it) and stores what comes back; nothing here touches Django.

How it decides, precision first (thin evidence → a separate profile, never a guessed merge):

1. Names. `names.split_name` folds any script to ASCII, undoes reversed order ("Wong" /
   "Tai Ming" → surname wong, given tai ming) and splits given names into tokens; one letter is
   an initial. Two given names are compatible when, position by position, full names are equal
   (or Western short forms of each other: Chris/Christopher) and initials match first letters;
   missing parts never conflict; a run-together "Taiming" meets "Tai-Ming" and "T. M.".
2. Blocking. Only signatures with the same normalised surname + first initial ("wong c") are
   ever compared (`block_key`). A Hong Kong author who prints "Chris" on some papers and
   "Tai Ming" on others therefore gets two profiles unless an ORCID iD links them — the split
   profile the Author Feedback Wizard exists to merge.
3. Hard rules. A quoted ORCID iD joins the profile carrying it, across blocks, before anything
   else; signatures quoting the same unknown iD form one profile; two different iDs never
   merge; two signatures of one paper never merge; a profile may not hold incompatible given
   names ("J." may join "John" or "James", but then never the other).
4. Evidence (hand-weighted, see engine.py for the weights): shared e-mail, shared co-authors
   (surname + initial, or spelled out), shared affiliation, the same full given name (worth
   less under a very common Chinese or Korean surname), a shared middle name, venue, subject
   area, the same large collaboration; different e-mails and a long gap in years count
   against. Name, venue and subject alone never reach the merge threshold. Between grown
   clusters a co-author counts only when it is on a fair share (1/10) of each side's papers,
   and an initials-only co-author that very many clusters of the block share counts less: a
   big cluster has met many names once, and meeting one again beside a namesake is chance.
   A paper with 30+ authors is a collaboration: its author list is not co-author evidence,
   only a small MinHash sketch of it ("same collaboration", weak).
5. Clustering, bounded work per block. Agglomerative, best-scoring pair first, scored on the
   clusters' pooled evidence (profile linkage). Candidate pairs come from shared keys
   (co-author, affiliation, e-mail, collaboration, ORCID iD); a crowded key proposes each
   cluster only with its next few neighbours among clusters sharing a spelled-out given name
   (sorted neighbourhood), rarest keys first, and no cluster gets more than DEGREE_CAP
   candidates, so pairs grow linearly. A score costs the same for two huge
   clusters as for two small ones: each cluster keeps the few keys on a fair share of its
   papers (the only ones a score reads; a merge finds them among the two sides' own) and the
   few papers it shares with namesakes. A merge re-scores at once at most RESCORE_CAP of the
   neighbours both sides had (where evidence adds up); other queued pairs are re-scored lazily
   when they reach the top, never twice for the same state of both sides. Evidence and
   neighbour sets merge small-into-large.
   `run.py` clusters S2AND files with blocks (those linked by no ORCID iD) in parallel.
6. Incremental. `assign` clusters new signatures with the existing profiles of their blocks
   using the same steps; existing profiles are never split or merged with each other (that is
   what the feedback wizard does), they only gain signatures. `cluster_all` is `assign` with no
   existing profiles.
"""

from scopus_sandbox.disambiguation.engine import (
    Assignment,
    DisambiguationError,
    Signature,
    assign,
    block_key,
    cluster_all,
    normalise_orcid,
)
from scopus_sandbox.disambiguation.metrics import Scores, b_cubed, pairwise
from scopus_sandbox.disambiguation.s2and import (
    S2andFormatError,
    read_clusters,
    read_signatures,
    signatures_from_dicts,
    write_clusters,
)

__all__ = [
    "Assignment",
    "DisambiguationError",
    "S2andFormatError",
    "Scores",
    "Signature",
    "assign",
    "b_cubed",
    "block_key",
    "cluster_all",
    "normalise_orcid",
    "pairwise",
    "read_clusters",
    "read_signatures",
    "signatures_from_dicts",
    "write_clusters",
]
