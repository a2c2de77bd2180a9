"""The portal's ORCID side: connecting a researcher's ORCID iD by OAuth (Part 1 of the exercise)."""
