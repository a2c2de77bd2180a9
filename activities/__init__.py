"""Activities: talks, editorial work, memberships, examinations, visits, hosting, services and
invited positions, which researchers enter and publish themselves (issue 13)."""
