"""The portal's Scopus side: the Scopus APIs as a client sees them (design §8)."""
