"""What a document's text and file name tell about it when neither a sidecar nor the file's
properties do: a title from the first line or the file name, a summary from the first paragraph."""

from __future__ import annotations

import re
from pathlib import Path

from indexer.corpus.dates import MONTH_NAMES
from indexer.corpus.placeholders import is_placeholder

# A derived title is a short first line; a derived summary is cut at a sentence end near this length.
MAX_TITLE_CHARS = 150
# A title is looked for among a page's first lines, and may run over this many of them.
TITLE_SEARCH_LINES = 12
MAX_TITLE_LINES = 3
# A cover's title of a few words is often a series or a subject ("Mensenhandel", "Trafficking in Human
# Beings"), and the lines under it say which report it is ("Aanvullende kwantitatieve gegevens",
# "Vierde rapportage van de Nationaal Rapporteur"): lines like these that follow it are its subtitles.
COVER_TITLE_WORDS = 4
MAX_SUBTITLES = 2
MAX_SUBTITLE_CHARS = 60
MIN_SUBTITLE_WORDS = 2  # one word under a title ("Achtergrond", "Samenvatting") heads a section
_NOT_IN_SUBTITLE = re.compile(r"[,;:.!?()]")
# A line that ends in a comma, a hyphen or a word that cannot end a title goes on on the next line.
_CONTINUES = re.compile(
    r"([,\-–:]|\b(van|voor|de|het|een|en|in|op|met|tegen|over|naar|bij|the|of|and|on|for|to|a|an))$", re.I
)
# A sentence ends inside the line: running text, not a title.
_PROSE = re.compile(r"[.!?] +[A-Z]")
# The kinds of regulation whose long title may end in their short title.
_REGULATION = r"wet|rijkswet|besluit|regeling|beschikking|verordening|beleidsregels?|circulaire"
# The long title of a regulation, its short title in brackets at the end; a short title starts with a
# capital, a subject in brackets ("… tot wijziging van de Wet BIG (specialistenregisters)") does not.
_CITATION = re.compile(rf"(?:{_REGULATION})\b[^()]*\(((?-i:[A-Z])[^()]{{2,100}})\)\.?$", re.I)
# Or the regulation says how it is cited, in its closing article ("Deze wet wordt aangehaald als: Wet
# openbare manifestaties."), often after a long title with no brackets; annexes may follow. The
# prosecution's instruments say so too.
_CITED_AS = re.compile(
    rf"^[ \t]*(?:deze|dit)[ \t]+(?:{_REGULATION}|aanwijzing|richtlijn|instructie)[ \t]+(?:kan|zal|wordt)[ \t]+"
    r"(?:worden[ \t]+)?aangehaald[ \t]+"
    r"(?:als|onder[ \t]+de[ \t]+(?:citeer)?titel)[ \t]*:?[ \t]*(?:de[ \t]+)?"
    r"[\"“‘']?((?-i:[A-Z])[^\"”\n]{2,100}?)[\"”’']?[ \t]*\.?[ \t]*$",
    re.I | re.M,
)
# A letter names its subject on a labelled line ("Onderwerp Advies over ..."), which may wrap onto
# lines that go on in lowercase.
# The label is capitalised: running text can wrap onto a line that starts with the word ("subject that
# I am confronted with ...").
_SUBJECT = re.compile(r"^[ \t]*(?:Onderwerp|ONDERWERP|Betreft|BETREFT|Subject|SUBJECT)\b[ \t]*:?[ \t]*(\S.*)$", re.M)
_WRAPPED = re.compile(r"[ \t]*([a-z0-9(].*)$")
# A report's colophon says how to cite it, on one of its first pages: "Referentie: Nationaal Rapporteur
# (2015). Mensenhandel in en uit beeld. Update cijfers 2010-2014. Den Haag: Nationaal Rapporteur." The
# title runs from after the author (up to the year in brackets, or else to the first comma or full stop)
# to the place of publication, which ends a line ("Den Haag.", "The Hague: BNRM"). Template properties
# and cover lettering do not outweigh it: a report's own citation is written for this edition.
COLOPHON_PAGES = 4
MAX_REFERENCE_LINES = 4
_REFERENCE = re.compile(
    r"^[ \t]*(?:Referentie|Reference|Citeerwijze|Suggested citation|Please cite as)[ \t]*:[ \t]*(.*)$", re.M
)
_YEAR_IN_BRACKETS = re.compile(r"\(\d{4}[a-z]?\)\.?")
_AUTHOR_END = re.compile(r"[,.] ")
_PLACE = re.compile(r"(?:^|(?<=\. ))(?:'s-)?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?(?::[^.]*)?\.?$")
SUMMARY_TARGET_CHARS = 300
MIN_SUMMARY_WORDS = 12


def first_line_title(text: str) -> str:
    """The first line with some letters that is no page furniture ("Pagina 1 van 2", a return
    address, "Inleiding"), when it is short enough to be a title. A title broken over lines
    ("Speech by the National Rapporteur on Trafficking in / Human Beings") is joined again, and a
    cover's short title gets the subtitles under it ("Mensenhandel. Aanvullende kwantitatieve
    gegevens. Vierde rapportage van de Nationaal Rapporteur")."""
    raw = [line for line in text.splitlines()[:TITLE_SEARCH_LINES] if sum(ch.isalpha() for ch in line) >= 3]
    lines = [" ".join(line.lstrip("#> \t").split()) for line in raw]
    # A heading of its own in Markdown ("## Achtergrond") begins a section: it is no subtitle.
    sections = {number for number, line in enumerate(raw) if line.lstrip().startswith("#")}
    for number, line in enumerate(lines):
        if is_placeholder("titel", line):
            continue
        if _PROSE.search(line):
            return ""  # the text starts without a title
        title, after = _wrapped_line(lines, number)
        if len(title.split()) <= COVER_TITLE_WORDS:
            for _ in range(MAX_SUBTITLES):
                if after >= len(lines) or after in sections:
                    break
                subtitle, following = _wrapped_line(lines, after)
                if not _is_subtitle(subtitle) or len(title) + len(subtitle) + 2 > MAX_TITLE_CHARS:
                    break
                title, after = f"{title}. {subtitle}", following
        return title if len(title) <= MAX_TITLE_CHARS else ""
    return ""


def _wrapped_line(lines: list[str], number: int) -> tuple[str, int]:
    """The line at `number` joined with the lines it goes on on, and the number of the line after them."""
    line, after = lines[number], number + 1
    for following in lines[number + 1 : number + MAX_TITLE_LINES]:
        if not _CONTINUES.search(line) or len(line) + len(following) >= MAX_TITLE_CHARS:
            break
        line, after = f"{line} {following}", after + 1
    return line, after


def _is_subtitle(line: str) -> bool:
    """A short line that starts with a capital and holds no sentence, list or bracket: cover lettering.
    A line that names a month is the cover's date ("November 2002")."""
    words = line.split()
    return (
        len(line) <= MAX_SUBTITLE_CHARS
        and len(words) >= MIN_SUBTITLE_WORDS
        and line[0].isupper()
        and not _NOT_IN_SUBTITLE.search(line)
        and not any(word.lower() in MONTH_NAMES for word in words)
        and not is_placeholder("titel", line)
    )


def labelled_subject(text: str) -> str:
    """The subject a letter names on its first page, when it is short enough to be a title."""
    found = _SUBJECT.search(text)
    if not found:
        return ""
    subject = found.group(1).strip()
    for line in text[found.end() :].lstrip("\r\n").splitlines()[: MAX_TITLE_LINES - 1]:
        wrapped = _WRAPPED.match(line)
        if not wrapped:
            break
        subject = f"{subject} {wrapped.group(1).strip()}"
    return subject if len(subject) <= MAX_TITLE_CHARS else ""


def citation_title(title: str, text: str = "") -> str:
    """A Dutch regulation's short title, the one people know it by: its long title ends with it in
    brackets ("Wet van 21 juli 2007, houdende regels inzake de verwerking van politiegegevens (Wet
    politiegegevens)"), or its `text` says how it is cited: the last such sentence, its own closing
    article's, as an amending article before it may quote the one of the regulation it amends."""
    cited = _CITATION.match(title)
    if cited:
        return cited.group(1)
    if "aangehaald" not in text:  # the pattern's one fixed word: most texts are spared the scan
        return title
    clauses = _CITED_AS.findall(text)
    return clauses[-1].strip() if clauses else title


def colophon_title(text: str) -> str:
    """The title a report's colophon cites it by (see `_REFERENCE`), or "" when it has none."""
    found = _REFERENCE.search(text)
    if not found:
        return ""
    reference = ""
    following = text[found.end() :].lstrip("\r\n").splitlines()
    for line in [found.group(1), *following][:MAX_REFERENCE_LINES]:
        line = " ".join(line.split())
        place = _PLACE.search(line)
        if place:
            title = _title_in_reference(f"{reference} {line[: place.start()]}".strip())
            if title:
                return title
        reference = f"{reference} {line}"
    return ""


def _title_in_reference(cited: str) -> str:
    """What follows the author in a reference without its place of publication, if title-sized."""
    year = _YEAR_IN_BRACKETS.search(cited)
    author_end = year or _AUTHOR_END.search(cited)
    title = cited[author_end.end() :].strip(" .") if author_end else ""
    if len(title) > MAX_TITLE_CHARS:  # a long subtitle: the main title alone
        title = title.split(". ", 1)[0]
    return title if len(title) <= MAX_TITLE_CHARS else ""


def title_from_filename(path: Path) -> str:
    words = re.sub(r"[-_.]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else path.name


def derive_summary(text: str) -> str:
    """The first real paragraph, cut at a sentence end: what a reader sees first."""
    for paragraph in re.split(r"\n\s*\n|\n(?=[A-Z])", text):
        flat = " ".join(paragraph.split())
        if len(flat.split()) >= MIN_SUMMARY_WORDS:
            if len(flat) <= SUMMARY_TARGET_CHARS:
                return flat
            cut = flat.rfind(". ", 0, SUMMARY_TARGET_CHARS)
            return (
                flat[: cut + 1]
                if cut > SUMMARY_TARGET_CHARS // 3
                else flat[:SUMMARY_TARGET_CHARS].rsplit(" ", 1)[0] + " …"
            )
    return ""
