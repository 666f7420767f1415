"""Every user-facing string is in the catalog, and Turkish translates all of them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
SHIPPED = ["tr", "en", "ar"]
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def read(path: Path, locale: str | None = None):
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def ids(catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def test_the_committed_template_matches_the_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_", "-k", "N_", "-k", "ngettext:1,2", "-o", str(fresh), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    committed = read(LOCALES / "messages.pot")
    missing, stale = ids(read(fresh)) - ids(committed), ids(committed) - ids(read(fresh))
    assert not missing and not stale, (
        f"run `make update-catalogs`; new: {sorted(missing)}; gone: {sorted(stale)}")


def test_survey_texts_are_extracted_from_yaml():
    template = ids(read(LOCALES / "messages.pot"))
    assert "Which service would you like to rate?" in template
    assert "Help reached me in a reasonable time." in template  # a variant
    assert "Don't know / not applicable" in template  # a scale label


@pytest.mark.parametrize("locale", SHIPPED)
def test_every_message_is_translated_with_the_same_placeholders(locale):
    template = read(LOCALES / "messages.pot")
    catalog = read(LOCALES / locale / "LC_MESSAGES" / "messages.po", locale)
    problems = []
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(message.id)
        strings = translated.string if translated else None
        strings = strings if isinstance(strings, tuple) else (strings,)
        if translated is None or not all(strings) or translated.fuzzy:
            problems.append(f"untranslated: {message.id!r}")
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(PLACEHOLDER.findall(" ".join(sources)))
        for string in strings:
            if set(PLACEHOLDER.findall(string)) != wanted:
                problems.append(f"placeholders differ: {message.id!r} -> {string!r}")
    assert not problems, "\n".join(problems)


# What a phone shows without cutting a label short: on a 360 dp wide screen (the most common
# width) Telegram's inline keyboard is about 340 dp wide and its 14 sp labels take about 8 dp
# per average Latin or Arabic letter, so a full-width button shows about 40 characters and a
# half-width one about 20 before the label is cut with "…". We keep a margin.
FULL_WIDTH_LABEL = 34


def button_labels(template) -> list[str]:
    """Messages shown on buttons: survey choice labels and those marked `# button` in code."""
    return [m.id for m in template if m.id and any(
        c in ("button", "survey: label") for c in m.auto_comments)]


@pytest.mark.parametrize("locale", SHIPPED)
def test_translated_button_labels_fit_on_a_phone(locale):
    template = read(LOCALES / "messages.pot")
    catalog = read(LOCALES / locale / "LC_MESSAGES" / "messages.po", locale)
    labels = button_labels(template)
    assert len(labels) > 40  # the marking works: every choice and code button is here
    too_long = [(m, catalog.get(m).string) for m in labels
                if len(catalog.get(m).string or m) > FULL_WIDTH_LABEL]
    assert not too_long, too_long


@pytest.mark.parametrize("locale", SHIPPED)
def test_labels_of_multi_column_questions_fit_half_a_phone(locale):
    from conversations.survey import builtin_surveys

    catalog = read(LOCALES / locale / "LC_MESSAGES" / "messages.po", locale)
    for survey in builtin_surveys().values():
        for question in survey.questions:
            if question.columns < 2:
                continue
            limit = FULL_WIDTH_LABEL // question.columns
            for choice in question.choices:
                shown = (catalog.get(choice.label).string if catalog.get(choice.label)
                         else None) or choice.label
                assert len(shown) <= max(limit, 2), (question.id, shown)


@pytest.mark.parametrize("locale", SHIPPED)
def test_catalogs_compile_without_errors(locale, tmp_path):
    """pybabel refuses e.g. a msgid it reads as %-format whose translation differs."""
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "compile", "-l", locale,
         "-i", str(LOCALES / locale / "LC_MESSAGES" / "messages.po"),
         "-o", str(tmp_path / "messages.mo")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("locale", SHIPPED)
def test_catalogs_are_compiled(locale):
    assert (LOCALES / locale / "LC_MESSAGES" / "messages.mo").exists(), "run `make catalogs`"


# Wordings a native reader or a survey methodologist rejected (issue 17): they must not come
# back, in any language, as a source text or a translation.
REJECTED_PHRASES = [
    "Uygulanamaz",  # "cannot be implemented", for "not applicable"
    "Kararsızım",  # "I am undecided", for "neither agree nor disagree"
    "Ne memnunum ne değilim",  # half a phrase
    "güncel soru",  # "the up-to-date question"
    "size bağlı",  # "dependent on you", for "linked to you"
    "iyileşsin diye",  # colloquial
    "Asayiş / Jandarma", "Public order / Gendarmerie",  # overlaps with the police
    "İZDES monitoring programme", "İZDES izleme ve değerlendirme programı",  # not its name
    "What was your visit for",  # phone and online users made no visit
    "الهجرة (Göç İdaresi)",  # the office is إدارة الهجرة
    "الأمن العام",  # reads as an intelligence agency to Syrian readers
    "لصالح",  # a calque of "for"
    "زيار",  # a visit; dealing with an office is مراجعة
    "عوملت",  # reads "she was treated"
    "اتصال الطوارئ",  # the line is خط الطوارئ 112
]
# Whole messages that must not come back: overlapping bands and an open-ended "earlier".
REJECTED_MESSAGES = [
    "Earlier", "Daha önce", "قبل ذلك", "In the last 30 days", "Son 30 gün içinde",
    "10-20 minutes", "20-30 minutes", "15-30 minutes", "30-60 minutes", "Over 30 minutes",
]


def texts_of(message) -> list[str]:
    found = []
    for part in (message.id, message.string):
        found += list(part) if isinstance(part, tuple) else [part]
    return [text for text in found if text]


@pytest.mark.parametrize("locale", SHIPPED)
def test_rejected_wordings_do_not_come_back(locale):
    catalog = read(LOCALES / locale / "LC_MESSAGES" / "messages.po", locale)
    template = read(LOCALES / "messages.pot")
    texts = [text for message in [*catalog, *template] if message.id
             for text in texts_of(message)]
    found = [(phrase, text) for text in texts for phrase in REJECTED_PHRASES
             if phrase.casefold() in text.casefold()]
    found += [(text, text) for text in texts if text in REJECTED_MESSAGES]
    assert not found, found
