"""Benchmarks, run by hand (never in CI); their figures go into BENCHMARKS.md."""
