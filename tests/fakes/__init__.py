"""Fake tracker servers for tests and benchmarks."""
