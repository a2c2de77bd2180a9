"""A faithful local ORCID registry: accounts, record pages, OAuth 2.0 / OpenID Connect, API v3.0."""
