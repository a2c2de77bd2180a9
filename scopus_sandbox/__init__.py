"""A faithful local Scopus: documents, author profiles by disambiguation, wizards, APIs."""
