"""GEN-1: Bahasa Indonesia by default, English available and complete."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")

pytestmark = pytest.mark.django_db


def parse_po(text: str) -> list[dict]:
    """The entries of a .po file: msgid, msgstr (or plural forms) and flags."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        flags = " ".join(line[2:] for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r"(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt)\s+(\".*\")$", line)
            if match:
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if "msgid" in fields:
            entries.append({"flags": flags, **fields})
    return entries


def test_pages_are_in_indonesian_by_default(client):
    html = client.get(reverse("core:home")).content.decode()
    assert '<html lang="id">' in html
    assert "Layanan LPSE" in html
    assert "Jam layanan" in html


def test_browser_asking_for_english_gets_english(client):
    html = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert "LPSE services" in html
    assert "Service hours" in html
    assert "Jam layanan" not in html


def test_language_cookie_chooses_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<html lang="en">' in html
    assert "LPSE services" in html


def test_language_switch_sets_the_cookie_and_returns_to_the_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.url == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get("/").content.decode()
    assert "LPSE services" in html


def test_english_catalogue_is_complete_and_compiled():
    """Every message has a reviewed English translation: none empty, none fuzzy.

    Run `lpse makemessages -l en` after adding text, translate, then
    `lpse compilemessages`; this test fails until English is in step.
    """
    entries = parse_po(PO_FILE.read_text(encoding="utf-8"))
    messages = [entry for entry in entries if entry["msgid"]]
    assert len(messages) > 50
    untranslated = [
        entry["msgid"]
        for entry in messages
        if not any(value for key, value in entry.items() if key.startswith("msgstr"))
        or any(value == "" for key, value in entry.items() if key.startswith("msgstr["))
    ]
    fuzzy = [entry["msgid"] for entry in messages if "fuzzy" in entry["flags"]]
    assert untranslated == []
    assert fuzzy == []
    header = next(entry for entry in entries if entry["msgid"] == "")
    assert "fuzzy" not in header["flags"]
    # The compiled catalogue Django reads says the same as the .po.
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    stale = []
    for entry in messages:
        key = entry["msgid"]
        if "msgctxt" in entry:
            key = f"{entry['msgctxt']}\x04{key}"
        if "msgstr" in entry and compiled.get(key) != entry["msgstr"]:
            stale.append(entry["msgid"])
        if "msgid_plural" in entry and compiled.get((key, 0)) != entry.get("msgstr[0]"):
            stale.append(entry["msgid"])
    assert stale == [], "run `lpse compilemessages` after editing the .po"
