"""Throughput, latency, CPU and memory benchmark of the bot (see docs/benchmarks.md)."""
