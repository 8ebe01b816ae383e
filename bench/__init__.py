"""Benchmarks for the targets of DESIGN.md §10. Run with ``make bench``; never timed tests."""
