"""Research outputs from files and online sources: each parser turns its input into
ImportedEntry records (portal.importers.records), every one previewed and checked for duplicates
before `portal.importers.service` enters it through the actions.

BibTeX (bibtexparser) and RIS (rispy) live here; Scopus and ORCID imports live in their
connectors (the portal may not import them) and produce the same records.
"""
