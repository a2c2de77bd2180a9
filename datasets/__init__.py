"""Datasets: research data with its DOI, publisher, date, licence and creators, which
researchers enter and the Library validates, as it does research outputs (issue 13)."""
