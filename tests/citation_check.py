"""Reads a built site's citations with the tools reference managers and
search engines use, and compares what they read with the events' own
values. Run by tests/citation.rs:

    python3 tests/citation_check.py PUBLIC_DIR EXPECTED_JSON CSL_SCHEMA
    python3 tests/citation_check.py --site PUBLIC_DIR CSL_SCHEMA

The second form reads any built site against its own events.json (the
repository's own timeline, for one).

EXPECTED_JSON lists the events as written (see tests/citation.rs). Every
problem is printed; the exit status is 1 when there is any, 2 when a
package is missing (the test then fails: it never skips).

- JSON-LD: each event page's <script type="application/ld+json">, found
  with Python's HTML parser, expanded by pyld with a document loader that
  refuses every fetch (the data's context is inline, so nothing may be
  fetched), then read as expanded schema.org terms.
- BibTeX: cite.bib and citations.bib parsed by bibtexparser, values
  un-escaped by `latex_text` and compared.
- RIS: cite.ris parsed by rispy.
- CSL-JSON: cite.json and citations.json validated against csl-data.json
  with jsonschema, then compared.
"""

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

try:
    import bibtexparser
    import jsonschema
    import rispy
    from pyld import jsonld
except ImportError as missing:  # pragma: no cover - reported to the test
    print(f"missing Python package: {missing.name} (scripts/test installs it)")
    sys.exit(2)

SCHEMA = "https://schema.org/"
problems = []


def check(cond, what):
    if not cond:
        problems.append(what)


def same(got, want, what):
    check(got == want, f"{what}: got {got!r}, want {want!r}")


class Scripts(HTMLParser):
    """The contents of every JSON-LD script element of a page."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self._inside = True
            self.found.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.found[-1] += data


def no_fetch(url, options=None):
    raise jsonld.JsonLdError(f"the test fetches nothing: {url}", "loading document failed")


def values(node, prop):
    return node.get(SCHEMA + prop, [])


def value(node, prop):
    got = values(node, prop)
    if len(got) != 1:
        return None
    v = got[0]
    return v.get("@value", v.get("@id", v))


def check_jsonld(page, e, expected):
    parser = Scripts()
    parser.feed(page.read_text(encoding="utf-8"))
    same(len(parser.found), 1, f"{e['slug']}: JSON-LD scripts")
    if not parser.found:
        return
    raw = parser.found[0]
    check("<" not in raw and ">" not in raw and "&" not in raw, f"{e['slug']}: raw <, > or & in the script")
    doc = json.loads(raw)
    expanded = jsonld.expand(doc, {"documentLoader": no_fetch})
    same(len(expanded), 1, f"{e['slug']}: expanded nodes")
    ev = expanded[0]
    slug = e["slug"]
    same(ev.get("@type"), [SCHEMA + "Event"], f"{slug}: @type")
    same(value(ev, "name"), e["title"], f"{slug}: name")
    same(value(ev, "description"), e["summary"], f"{slug}: description")
    same(value(ev, "startDate"), e["start"], f"{slug}: startDate")
    same(value(ev, "endDate"), e["end"], f"{slug}: endDate")
    status = {
        "held": SCHEMA + "EventScheduled",
        "announced": SCHEMA + "EventScheduled",
        "cancelled": SCHEMA + "EventCancelled",
        "planned": None,
    }[e["status"]]
    same(value(ev, "eventStatus"), status, f"{slug}: eventStatus")
    url = expected["base"] + f"events/{slug}/"
    same(value(ev, "url"), url, f"{slug}: url")
    same(value(ev, "inLanguage"), expected["language"], f"{slug}: inLanguage")
    if e["location"] is None:
        same(values(ev, "location"), [], f"{slug}: no location")
    else:
        place = values(ev, "location")
        same([p.get("@type") for p in place], [[SCHEMA + "Place"]], f"{slug}: location type")
        same([value(p, "name") for p in place], [e["location"]], f"{slug}: location name")
    performers = values(ev, "performer")
    same(
        [(value(p, "name"), value(p, "jobTitle")) for p in performers],
        [(p["name"], p["role"]) for p in e["participants"]],
        f"{slug}: performers",
    )
    same(
        [[value(n, "name") for n in values(p, "nationality")] for p in performers],
        [[p["country"]] if p["country"] else [] for p in e["participants"]],
        f"{slug}: nationalities",
    )
    same(values(ev, "organizer"), [], f"{slug}: no organizer is claimed")
    same(sorted(k.get("@value") for k in values(ev, "keywords")), sorted(e["tags"]), f"{slug}: keywords")
    same(sorted(value(t, "name") for t in values(ev, "about")), sorted(e["tracks"]), f"{slug}: about")
    pages = values(ev, "mainEntityOfPage")
    same(len(pages), 1, f"{slug}: mainEntityOfPage")
    if pages:
        web = pages[0]
        same(web.get("@id"), url, f"{slug}: page @id")
        site = values(web, "isPartOf")
        same([value(s, "name") for s in site], [expected["site_title"]], f"{slug}: isPartOf name")
        same([value(s, "url") for s in site], [expected["base"]], f"{slug}: isPartOf url")
        cites = values(web, "citation")
        got = [
            {
                "title": value(c, "name"),
                "publisher": next((value(p, "name") for p in values(c, "publisher")), None),
                "url": value(c, "url"),
                "date": value(c, "datePublished"),
                "archive_url": value(c, "archivedAt"),
            }
            for c in cites
        ]
        same(got, e["sources"], f"{slug}: citations")


LATEX = {
    "\\textbackslash{}": "\\",
    "\\textbraceleft{}": "{",
    "\\textbraceright{}": "}",
    "\\textasciitilde{}": "~",
    "\\textasciicircum{}": "^",
    "\\%": "%",
    "\\&": "&",
    "\\$": "$",
    "\\#": "#",
    "\\_": "_",
}
LATEX_RE = re.compile("|".join(re.escape(k) for k in LATEX))


def latex_text(v):
    """A BibTeX value as text; also checks it is valid TeX text: no special
    character is left unescaped and its braces balance."""
    bare = LATEX_RE.sub("", v)
    check(not re.search(r"[\\%&$#_~^]", bare), f"unescaped TeX character in {v!r}")
    depth = 0
    for c in v:
        depth += {"{": 1, "}": -1}.get(c, 0)
        check(depth >= 0, f"unbalanced braces in {v!r}")
    same(depth, 0, f"brace depth of {v!r}")
    return LATEX_RE.sub(lambda m: LATEX[m.group(0)], v)


def one_line(s):
    return " ".join(s.split())


MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def check_bibtex_entry(entry, e, expected):
    slug = e["slug"]
    same(entry.entry_type, "misc", f"{slug}: entry type")
    same(entry.key, slug, f"{slug}: key")
    f = {k: v.value for k, v in entry.fields_dict.items()}
    title = f.get("title", "")
    check(title.startswith("{") and title.endswith("}"), f"{slug}: title is brace-protected")
    same(latex_text(title[1:-1]), one_line(e["title"]), f"{slug}: bib title")
    same(latex_text(f.get("publisher", "")), expected["site_title"], f"{slug}: bib publisher")
    same(latex_text(f.get("abstract", "")), one_line(e["summary"]), f"{slug}: bib abstract")
    same(f.get("year"), e["start"][:4], f"{slug}: bib year")
    date = e["start"][:10] + ("/" + e["end"][:10] if e["end"] else "") + ("~" if e["approximate"] else "")
    same(f.get("date"), date, f"{slug}: bib date")
    month = e["start"][5:7]
    same(f.get("month"), MONTHS[int(month) - 1] if month else None, f"{slug}: bib month")
    same(f.get("url"), expected["base"] + f"events/{slug}/", f"{slug}: bib url")
    keywords = f.get("keywords")
    same(latex_text(keywords) if keywords else "", ", ".join(e["tags"]), f"{slug}: bib keywords")


def check_bibtex(path, events, expected):
    text = path.read_text(encoding="utf-8")
    lib = bibtexparser.parse_string(text)
    same(len(lib.failed_blocks), 0, f"{path.name}: blocks bibtexparser could not read")
    same([en.key for en in lib.entries], [e["slug"] for e in events], f"{path}: entries")
    for entry, e in zip(lib.entries, events):
        check_bibtex_entry(entry, e, expected)


def ris_date(start):
    parts = start[:10].split("-")
    parts += [""] * (3 - len(parts))
    return "/".join(parts) + "/"


def check_ris(path, e, expected):
    # Bytes, not read_text: universal newlines would hide a bare line break.
    text = path.read_bytes().decode("utf-8")
    for line in text.split("\r\n")[:-1]:
        check(re.match(r"^[A-Z][A-Z0-9]  - ", line), f"{path}: line {line!r}")
    check("\n" not in text.replace("\r\n", ""), f"{path}: a bare line break")
    records = rispy.loads(text)
    same(len(records), 1, f"{path}: records")
    if not records:
        return
    r = records[0]
    slug = e["slug"]
    same(r.get("type_of_reference"), "WEB", f"{slug}: TY")
    same(r.get("id"), slug, f"{slug}: ID")
    same(r.get("title"), one_line(e["title"]), f"{slug}: TI")
    same(r.get("secondary_title"), expected["site_title"], f"{slug}: T2")
    same(r.get("publisher"), expected["site_title"], f"{slug}: PB")
    same(r.get("year"), e["start"][:4], f"{slug}: PY")
    same(r.get("date"), ris_date(e["start"]), f"{slug}: DA")
    same(r.get("urls"), [expected["base"] + f"events/{slug}/"], f"{slug}: UR")
    same(r.get("abstract"), one_line(e["summary"]), f"{slug}: AB")
    same(r.get("keywords", []), e["tags"], f"{slug}: KW")


def date_parts(d):
    return [int(p) for p in d[:10].split("-")]


def check_csl_item(item, e, expected):
    slug = e["slug"]
    same(item.get("id"), slug, f"{slug}: CSL id")
    same(item.get("type"), "webpage", f"{slug}: CSL type")
    same(item.get("title"), e["title"], f"{slug}: CSL title")
    same(item.get("container-title"), expected["site_title"], f"{slug}: container-title")
    same(item.get("publisher"), expected["site_title"], f"{slug}: CSL publisher")
    parts = [date_parts(e["start"])] + ([date_parts(e["end"])] if e["end"] else [])
    issued = {"date-parts": parts}
    if e["approximate"]:
        issued["circa"] = True
    same(item.get("issued"), issued, f"{slug}: issued")
    same(item.get("URL"), expected["base"] + f"events/{slug}/", f"{slug}: URL")
    same(item.get("abstract"), e["summary"], f"{slug}: abstract")
    same(item.get("event-place"), e["location"], f"{slug}: event-place")


def check_csl(path, events, expected, validator):
    data = json.loads(path.read_text(encoding="utf-8"))
    errors = list(validator.iter_errors(data))
    same([err.message for err in errors], [], f"{path}: CSL-JSON schema errors")
    same([i.get("id") for i in data], [e["slug"] for e in events], f"{path}: items")
    for item, e in zip(data, events):
        check_csl_item(item, e, expected)


def check_site(public, validator):
    """Any built site, read against its own events.json: every event page's
    JSON-LD expands to one schema.org Event with its title, summary and
    start, and every citation file parses and validates."""
    data = json.loads((public / "events.json").read_text(encoding="utf-8"))
    for e in data["events"]:
        slug = e["slug"]
        folder = public / "events" / slug
        parser = Scripts()
        parser.feed((folder / "index.html").read_text(encoding="utf-8"))
        same(len(parser.found), 1, f"{slug}: JSON-LD scripts")
        if not parser.found:
            continue
        expanded = jsonld.expand(json.loads(parser.found[0]), {"documentLoader": no_fetch})
        same(len(expanded), 1, f"{slug}: expanded nodes")
        ev = expanded[0]
        same(ev.get("@type"), [SCHEMA + "Event"], f"{slug}: @type")
        same(value(ev, "name"), e["title"], f"{slug}: name")
        same(value(ev, "description"), e["summary"], f"{slug}: description")
        same(value(ev, "startDate"), e["date"]["value"], f"{slug}: startDate")
        lib = bibtexparser.parse_string((folder / "cite.bib").read_text(encoding="utf-8"))
        same([en.key for en in lib.entries], [slug], f"{slug}: cite.bib")
        same(len(lib.failed_blocks), 0, f"{slug}: cite.bib failed blocks")
        ris = rispy.loads((folder / "cite.ris").read_text(encoding="utf-8"))
        same(len(ris), 1, f"{slug}: cite.ris records")
        for err in validator.iter_errors(json.loads((folder / "cite.json").read_text(encoding="utf-8"))):
            problems.append(f"{slug}: cite.json: {err.message}")
    print(f"{len(data['events'])} events read, {len(problems)} problems")
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


def main():
    if sys.argv[1] == "--site":
        public, schema_path = Path(sys.argv[2]), Path(sys.argv[3])
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        check_site(public, jsonschema.Draft7Validator(schema))
        return
    public, expected_path, schema_path = (Path(a) for a in sys.argv[1:4])
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    events = expected["events"]
    for e in events:
        folder = public / "events" / e["slug"]
        check_jsonld(folder / "index.html", e, expected)
        check_bibtex(folder / "cite.bib", [e], expected)
        check_ris(folder / "cite.ris", e, expected)
        check_csl(folder / "cite.json", [e], expected, validator)
    check_bibtex(public / "citations.bib", events, expected)
    check_csl(public / "citations.json", events, expected, validator)
    for p in problems:
        print(p)
    print(f"{len(events)} events read, {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
