"""Prometheus metrics, served at /metrics. One registry per running bot (tests run several)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.updates_received = Counter(
            "izdes_updates_received", "Updates received from Telegram (new, not redeliveries)",
            registry=self.registry)
        self.replies_sent = Counter(
            "izdes_replies_sent", "Messages sent or edited for citizens", ["kind"],
            registry=self.registry)
        self.surveys = Counter(
            "izdes_surveys", "Surveys by what happened to them", ["event", "survey"],
            registry=self.registry)
        self.step_seconds = Histogram(
            "izdes_step_seconds", "From an update's handling to its last reply",
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5), registry=self.registry)
        self.errors = Counter(
            "izdes_errors", "Updates whose handling failed", ["kind"], registry=self.registry)
        self.telegram_429 = Counter(
            "izdes_telegram_429", "Telegram answered 429 Too Many Requests",
            registry=self.registry)
        self.updates_quarantined = Counter(
            "izdes_updates_quarantined", "Stored updates set aside: unparsable, or their "
            "handling failed other than by the database (processed_events.quarantined)",
            ["reason"], registry=self.registry)
        self.database_errors = Counter(
            "izdes_database_errors", "Database operations that failed", ["where"],
            registry=self.registry)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
