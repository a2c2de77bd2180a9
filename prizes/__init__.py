"""Prizes / Honours: prizes, awards and honours researchers receive, entered and published by
themselves (issue 13); ORCID calls them distinctions."""
