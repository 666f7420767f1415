"""The msgids are English: the English catalog starts as a copy of them.

Run by `scripts/catalogs.sh update`; entries an editor has changed are left alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

path = Path(sys.argv[1] if len(sys.argv) > 1 else "locales/en/LC_MESSAGES/messages.po")
with path.open("rb") as handle:
    catalog = read_po(handle, locale="en")
for message in catalog:
    if not message.id:
        continue
    if isinstance(message.id, tuple):
        if not all(message.string):
            message.string = message.id
    elif not message.string:
        message.string = message.id
    message.flags.discard("fuzzy")
catalog.fuzzy = False
with path.open("wb") as handle:
    write_po(handle, catalog, width=76)
