"""Impact: what research changed outside academia, with its participants, related outputs and
projects, entered and published by researchers themselves (issue 13)."""
