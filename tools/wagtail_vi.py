"""Build the Vietnamese catalogues that complete Wagtail's own admin translation.

Wagtail ships a Vietnamese catalogue with only a small part of its admin strings
translated. This script writes ``locale_wagtail/vi/LC_MESSAGES/{django,djangojs}.po``
(and compiles the ``.mo`` files next to them) from:

* the English msgids of the Wagtail apps the portal installs (``<app>/locale/en``),
* the translation table ``tools/wagtail_vi.tsv`` (ours; it wins),
* Wagtail's existing Vietnamese entries (kept where the table says nothing),
* and, for the few Django strings Wagtail's chrome shows that Django's own Vietnamese
  catalogue lacks (timesince's "%(num)d minute"…), Django's English msgids, taken only
  where the table translates them.

``locale_wagtail`` is listed in ``LOCALE_PATHS`` after ``locale``, so these catalogues
override Wagtail's for both the ``django`` and the ``djangojs`` domains, while the
portal's own catalogue still has the last word.

Table format (UTF-8, one entry a line, ``#`` starts a comment line)::

    msgid<TAB>msgstr
    msgid<TAB>msgid_plural<TAB>msgstr        # plural entries (Vietnamese: nplurals=1)

``\\t``, ``\\n`` and ``\\\\`` are unescaped. Leading/trailing spaces of a msgid need not
be typed: an entry also matches a Wagtail msgid that differs only by surrounding
whitespace, and that whitespace is copied onto the translation. A msgid present in
both domains gets the same translation in both.

Every translation must keep exactly the msgid's ``%(name)s``/``%s``/``{name}``
placeholders and HTML tags; the script stops without writing anything otherwise.

Usage::

    .venv/bin/python tools/wagtail_vi.py               # rebuild .po and .mo
    .venv/bin/python tools/wagtail_vi.py --check       # validate only, write nothing
    .venv/bin/python tools/wagtail_vi.py --untranslated [WORD]   # list what is left
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
TABLE = Path(__file__).with_suffix(".tsv")
OUT_DIR = ROOT / "locale_wagtail" / "vi" / "LC_MESSAGES"

# Wagtail apps (paths inside the ``wagtail`` package) whose strings the portal shows,
# in the order of INSTALLED_APPS: for a msgid translated differently by two of them,
# Django uses the first, and so does this script for Wagtail's existing entries.
WAGTAIL_APPS = {
    "django": [
        "contrib/settings",
        "contrib/forms",
        "contrib/redirects",
        "embeds",
        "sites",
        "users",
        "snippets",
        "documents",
        "images",
        "search",
        "admin",
        "",  # wagtail core
    ],
    "djangojs": ["admin"],
}
# Django's own catalogue, for the few strings Wagtail's chrome shows that Django's
# Vietnamese catalogue lacks (e.g. timesince's "%(num)d minute", used by "… ago").
# Only the msgids the table translates are taken from it.
DJANGO_CORE = {"django": "conf"}
PLACEHOLDER = re.compile(
    r"%\((?P<named>\w+)\)[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgGc]"  # %(name)s
    r"|%(?P<positional>[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgGc])"  # %s, %d
    r"|(?P<percent>%%)"
    r"|\{(?P<brace>\w*)\}"  # {name}, {}
)
TAG = re.compile(r"<[^<>]+>")


class TableError(Exception):
    pass


@dataclass
class Row:
    line: int
    msgid: str
    msgid_plural: str | None
    msgstr: str


def wagtail_dir() -> Path:
    import wagtail

    return Path(wagtail.__file__).resolve().parent


def django_dir() -> Path:
    import django

    return Path(django.__file__).resolve().parent


def wagtail_version() -> str:
    import wagtail

    return wagtail.__version__


def table_date() -> str:
    """The table's modification time: the catalogues change only when it does."""
    from datetime import datetime

    stamp = datetime.fromtimestamp(TABLE.stat().st_mtime, tz=UTC)
    return stamp.strftime("%Y-%m-%d %H:%M+0000")


def unescape(text: str) -> str:
    return re.sub(r"\\([\\tn])", lambda m: {"\\": "\\", "t": "\t", "n": "\n"}[m.group(1)], text)


def read_table(path: Path) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    problems = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = raw.split("\t")
        if len(cells) == 2:
            row = Row(number, unescape(cells[0]), None, unescape(cells[1]))
        elif len(cells) == 3:
            row = Row(number, unescape(cells[0]), unescape(cells[1]), unescape(cells[2]))
        else:
            problems.append(
                f"{path.name}:{number}: expected 2 or 3 tab-separated cells, got {len(cells)}"
            )
            continue
        if not row.msgstr.strip():
            problems.append(f"{path.name}:{number}: empty translation for {row.msgid!r}")
            continue
        previous = rows.get(row.msgid)
        if previous and (previous.msgstr, previous.msgid_plural) != (row.msgstr, row.msgid_plural):
            problems.append(
                f"{path.name}:{number}: {row.msgid!r} already translated differently"
                f" on line {previous.line}"
            )
            continue
        rows.setdefault(row.msgid, row)
    if problems:
        raise TableError("\n".join(problems))
    return rows


def placeholders(text: str) -> Counter:
    found = Counter()
    for match in PLACEHOLDER.finditer(text):
        kind = match.lastgroup
        # the whole token, so that %(n)s and %(n)d differ
        found[(kind, match.group(0))] += 1
    return found


def describe(counter: Counter) -> str:
    return (
        ", ".join(
            sorted(
                f"{kind}:{name}" + (f"×{n}" if n > 1 else "") for (kind, name), n in counter.items()
            )
        )
        or "none"
    )


def check_translation(msgid: str, msgid_plural: str | None, msgstr: str) -> list[str]:
    """What is wrong with ``msgstr`` as the translation of ``msgid`` (empty list: fine)."""
    problems = []
    if msgid_plural is None:
        expected = placeholders(msgid)
        if placeholders(msgstr) != expected:
            problems.append(
                f"placeholders {describe(placeholders(msgstr))} != msgid's {describe(expected)}"
            )
        tags = sorted(TAG.findall(msgid))
    else:
        # One Vietnamese form serves every n: it must carry the plural's placeholders
        # and may use nothing that neither English form has.
        singular, plural, got = (
            placeholders(msgid),
            placeholders(msgid_plural),
            placeholders(msgstr),
        )
        allowed = set(singular) | set(plural)
        if not set(plural) <= set(got) or not set(got) <= allowed:
            problems.append(
                f"placeholders {describe(got)} must include msgid_plural's {describe(plural)}"
                f" and stay within {describe(singular | plural)}"
            )
        tags = sorted(TAG.findall(msgid_plural))
    if sorted(TAG.findall(msgstr)) != tags:
        problems.append(f"HTML tags {sorted(TAG.findall(msgstr))} != msgid's {tags}")
    return problems


def with_whitespace_of(msgid: str, msgstr: str) -> str:
    lead = msgid[: len(msgid) - len(msgid.lstrip())]
    trail = msgid[len(msgid.rstrip()) :]
    return lead + msgstr.strip() + trail


def read_english(path: Path, label: str, into: dict[str, polib.POEntry], only=None) -> None:
    if not path.exists():
        raise SystemExit(f"missing {path}: has the package's layout changed?")
    for entry in polib.pofile(str(path)):
        if entry.obsolete or not entry.msgid or (only is not None and entry.msgid not in only):
            continue
        occurrences = [(f"{label}/{file}", line) for file, line in entry.occurrences]
        if entry.msgid in into:
            into[entry.msgid].occurrences += occurrences
        else:
            entry.occurrences = occurrences
            into[entry.msgid] = entry


def load_sources(domain: str, table_msgids: set[str]):
    """English entries (first app wins) and Wagtail's existing Vietnamese translations."""
    english: dict[str, polib.POEntry] = {}
    existing: dict[str, tuple[str, polib.POEntry]] = {}
    base = wagtail_dir()
    for app in WAGTAIL_APPS[domain]:
        app_dir = base / app if app else base
        label = f"wagtail/{app}".rstrip("/")
        read_english(app_dir / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po", label, english)
        vi_file = app_dir / "locale" / "vi" / "LC_MESSAGES" / f"{domain}.po"
        if vi_file.exists():
            for entry in polib.pofile(str(vi_file)).translated_entries():
                existing.setdefault(entry.msgid, (label, entry))
    if domain in DJANGO_CORE:
        wanted = {m for m in table_msgids if m not in english}
        core = django_dir() / DJANGO_CORE[domain]
        read_english(
            core / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po",
            "django/" + DJANGO_CORE[domain],
            english,
            wanted,
        )
    return english, existing


def build(domain: str, table: dict[str, Row], used: set[str]):
    english, existing = load_sources(domain, set(table) | {m.strip() for m in table})
    by_stripped: dict[str, Row] = {msgid.strip(): row for msgid, row in table.items()}
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"Wagtail {wagtail_version()} admin, Vietnamese (portal)",
        "Report-Msgid-Bugs-To": "",
        "PO-Revision-Date": table_date(),
        "Last-Translator": "portal team",
        "Language-Team": "Vietnamese",
        "Language": "vi",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    po.header = (
        "Vietnamese for Wagtail's admin strings. Generated by tools/wagtail_vi.py from\n"
        "Wagtail's English catalogues, tools/wagtail_vi.tsv and Wagtail's own Vietnamese\n"
        "entries. Do not edit by hand: change the table and re-run the script."
    )
    errors, dropped = [], []
    stats = Counter()
    for msgid, source in english.items():
        entry = polib.POEntry(
            msgid=msgid,
            msgid_plural=source.msgid_plural or "",
            occurrences=source.occurrences,
            flags=[f for f in source.flags if f != "fuzzy"],
        )
        row = table.get(msgid) or by_stripped.get(msgid.strip())
        msgstr, origin = "", None
        if row is not None:
            if (row.msgid_plural or "").strip() != (source.msgid_plural or "").strip():
                errors.append(
                    f"{TABLE.name}:{row.line}: {msgid!r}: plural mismatch "
                    f"(table {row.msgid_plural!r}, Wagtail {source.msgid_plural!r})"
                )
                continue
            msgstr = with_whitespace_of(msgid, row.msgstr)
            problems = check_translation(msgid, source.msgid_plural or None, msgstr)
            if problems:
                errors.extend(f"{TABLE.name}:{row.line}: {msgid!r}: {p}" for p in problems)
                continue
            used.add(row.msgid)
            origin = "table"
        elif msgid in existing:
            label, vi = existing[msgid]
            candidate = (
                vi.msgstr_plural.get(0, vi.msgstr_plural.get("0", ""))
                if vi.msgid_plural
                else vi.msgstr
            )
            if candidate and not check_translation(msgid, source.msgid_plural or None, candidate):
                msgstr, origin = candidate, "wagtail"
                entry.comment = f"kept from {label}/locale/vi"
            else:
                dropped.append(f"{label}/locale/vi: {msgid!r} -> {candidate!r}")
        if source.msgid_plural:
            entry.msgstr_plural = {0: msgstr}
        else:
            entry.msgstr = msgstr
        stats[origin or "untranslated"] += 1
        po.append(entry)
    return po, stats, errors, dropped


def msgfmt_check(path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if not msgfmt:
        print("  (msgfmt not found: skipped msgfmt --check)")
        return
    result = subprocess.run(
        [msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"msgfmt --check failed for {path}:\n{result.stderr}")
    print(f"  msgfmt --check: {path.relative_to(ROOT)} OK")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="validate the table only; write nothing"
    )
    parser.add_argument(
        "--untranslated",
        nargs="?",
        const="",
        metavar="WORD",
        help="list msgids still untranslated (optionally only those containing WORD)",
    )
    args = parser.parse_args(argv)

    try:
        table = read_table(TABLE)
    except TableError as exc:
        print(exc, file=sys.stderr)
        return 1
    used: set[str] = set()
    built, all_errors = {}, []
    for domain in WAGTAIL_APPS:
        po, stats, errors, dropped = build(domain, table, used)
        built[domain] = (po, stats)
        all_errors += errors
        for line in dropped:
            print(f"  dropped an existing Wagtail translation that fails the checks: {line}")
    if all_errors:
        print("Translation table errors (nothing written):", file=sys.stderr)
        for line in all_errors:
            print("  " + line, file=sys.stderr)
        return 1
    stale = [row for msgid, row in table.items() if msgid not in used]
    for row in stale:
        print(
            f"  warning: {TABLE.name}:{row.line}: {row.msgid!r}"
            " is not a msgid of Wagtail's catalogues (stale?)"
        )

    if args.untranslated is not None:
        for domain, (po, _stats) in built.items():
            for entry in po.untranslated_entries():
                if args.untranslated.lower() in entry.msgid.lower():
                    where = entry.occurrences[0][0] if entry.occurrences else ""
                    print(
                        f"{domain}\t{entry.msgid}"
                        + (f"\t{entry.msgid_plural}" if entry.msgid_plural else "")
                        + f"\t# {where}"
                    )
        return 0

    for domain, (po, stats) in built.items():
        print(
            f"{domain}: {stats['table'] + stats['wagtail']} of {len(po)} msgids translated "
            f"({stats['table']} from the table, {stats['wagtail']} kept from Wagtail; "
            f"{stats['untranslated']} left to Wagtail's English)"
        )
    if args.check:
        return 0
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for domain, (po, _stats) in built.items():
        po_path, mo_path = OUT_DIR / f"{domain}.po", OUT_DIR / f"{domain}.mo"
        po.save(str(po_path))
        msgfmt_check(po_path)
        po.save_as_mofile(str(mo_path))
        print(f"  wrote {po_path.relative_to(ROOT)} and {mo_path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
