#!/usr/bin/env python3
"""The container's health check: /readyz of the bot in this container, at IZDES_HTTP_PORT.
Standard library only, as it runs every few seconds; exit 0 when ready, 1 otherwise."""

import os
import sys
import urllib.error
import urllib.request

host = os.environ.get("IZDES_HTTP_HOST") or "127.0.0.1"
if host in ("0.0.0.0", "::"):  # listening everywhere: ask it here
    host = "127.0.0.1"
port = os.environ.get("IZDES_HTTP_PORT") or "8080"
address = f"[{host}]" if ":" in host else host
try:
    with urllib.request.urlopen(f"http://{address}:{port}/readyz", timeout=4) as answer:
        sys.exit(0 if answer.status == 200 else 1)
except (OSError, urllib.error.URLError) as error:  # 503 (not ready) included
    print(f"not ready: {error}", file=sys.stderr)
    sys.exit(1)
