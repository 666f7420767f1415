"""A Telegram Bot API test double that the real python-telegram-bot talks to over HTTP.

    fake = FakeTelegram(); await fake.start()
    # the bot under test: base_url=f"{fake.root_url}/bot"
    ayse = fake.citizen(1001)
    await ayse.send("/start")
    reply = await ayse.next_message()
    await ayse.press("Evet")
    fake.assert_no_violations()

See SOURCES.md for where api.json comes from.
"""

from .chat import BotMessage, Button, Citizen
from .errors import ApiError
from .server import FakeTelegram
from .wire import UploadedFile

__all__ = ["ApiError", "BotMessage", "Button", "Citizen", "FakeTelegram", "UploadedFile"]
