"""How an update is known across the bot: its channel, and the event id under which it is
stored, claimed and closed (storage.inbox, processed_events)."""

CHANNEL = "tg"  # also the pseudonymizer's channel for Telegram users


def event_id(update_id: int) -> str:
    return f"{CHANNEL}:{update_id}"
