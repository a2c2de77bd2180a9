"""The ORCID Creation and Integration Exercise: where each researcher stands in its two parts."""
