"""Press / Media: researchers in newspapers, radio, television and online media, entered and
published by themselves (issue 13)."""
