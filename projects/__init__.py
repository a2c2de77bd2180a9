"""Projects: funded research with its period, funder and grant, participants and units, which
researchers enter and the Library validates, as it does research outputs (issue 13)."""
