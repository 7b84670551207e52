"""The Vietnamese catalogue is complete, consistent and compiled."""

import re
from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def entries():
    return [entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete]


def test_every_message_has_a_vietnamese_translation():
    missing = [e.msgid for e in entries() if not e.translated() or "fuzzy" in e.flags]
    assert missing == []


def test_translations_keep_every_placeholder():
    wrong = [
        e.msgid
        for e in entries()
        if e.msgstr
        and sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(e.msgstr))
    ]
    assert wrong == []


def test_the_compiled_catalogue_matches_the_source():
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    }
    source = {(e.msgctxt, e.msgid): e.msgstr for e in entries() if e.msgstr}
    assert compiled.items() >= source.items()
