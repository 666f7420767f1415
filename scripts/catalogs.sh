#!/usr/bin/env sh
# Message catalogs (searxng-style): extract -> one .pot; update -> each .po; compile -> .mo.
#   scripts/catalogs.sh extract|update|compile|init LOCALE
set -eu
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
POT=locales/messages.pot
# -c button: a "# button" comment on the line above a string tells translators it is a
# button label (the .pot shows "#. button"): keep it short, Telegram cuts long labels.
case "${1:-compile}" in
  extract)
    "$PYBABEL" extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 -c button --no-location --sort-output \
      --project="izdes-bot" --copyright-holder="İZDES" -o "$POT" . ;;
  update)
    "$PYBABEL" update -i "$POT" -d locales --no-fuzzy-matching --ignore-obsolete
    "$(dirname "$PYBABEL")/python" scripts/fill_english.py locales/en/LC_MESSAGES/messages.po ;;
  init)
    "$PYBABEL" init -i "$POT" -d locales -l "$2" ;;
  compile)
    "$PYBABEL" compile -d locales --statistics ;;
  *) echo "usage: $0 extract|update|compile|init LOCALE" >&2; exit 2 ;;
esac
