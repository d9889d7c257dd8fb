"""Markdown with optional YAML front matter, turned into plain text.

We do not render Markdown; we remove its markup so that the index holds the words a reader sees.
Front matter values may contain HTML (some site generators put `<em>` in titles); its text is kept.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import yaml

from indexer.corpus.sidecar_fields import FRONT_MATTER_ALIASES, LIST_KEYS
from indexer.errors import ExtractionError, Problem
from indexer.extract.html import parse_html
from indexer.extract.plaintext import decode_text, read_bytes
from indexer.models import Extraction, Page

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
# Every pattern runs in linear time on hostile input: no two adjacent quantifiers can take the same
# characters, line-start patterns do not run on over blank lines (\s would take newlines), and a
# bracket or tag that is never closed stops the scan at the next opening one instead of at the end
# of the document. An emphasis may be at most _MAX_EMPHASIS_CHARS long for the same reason.
# A heading may be written without the space ("##Besluit van ...", as converters of the law database
# write it): its hashes are markup all the same, not words a reader sees.
_ATX_MARK = r"^[ \t]{0,3}#{1,6}(?!#)[ \t]*+"
_HEADING = re.compile(rf"{_ATX_MARK}(.*)$", re.M)
# The title is the first heading with text; text then follows only on the same line.
_TITLE_HEADING = re.compile(rf"{_ATX_MARK}(\S.*)$", re.M)
_SETEXT_UNDERLINE = re.compile(r"^[ \t]{0,3}(=+|-+)[ \t]*$", re.M)
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~).*$", re.M)
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\((?:[^()\n]|\([^()\n]*\))*\)")
_LINK = re.compile(r"\[([^\[\]]+)\]\((?:[^()\n]|\([^()\n]*\))*\)")
_REFERENCE_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
_LINK_DEFINITION = re.compile(r"^[ \t]{0,3}\[[^\[\]\n]+\]:[ \t]+\S+.*$", re.M)
_MAX_EMPHASIS_CHARS = 500
_EMPHASIS = re.compile(rf"(\*\*|__|\*|_|~~)(?=\S)(.{{1,{_MAX_EMPHASIS_CHARS}}}?)(?<=\S)\1")
_INLINE_CODE = re.compile(r"`([^`]*)`")
_LIST_MARKER = re.compile(r"^([ \t]*)(?:[-*+]|\d+[.)])[ \t]+", re.M)
_BLOCKQUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.M)
_TABLE_RULE = re.compile(r"^[ \t]*(?:\|[ \t]*)?:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*(?:\|[ \t]*)?$", re.M)
_TABLE_PIPE = re.compile(r"(?<!\\)\|")
_HTML_TAG = re.compile(r"<[^<>]+>")
_HTML_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|h[1-6]|tr|table|section)\b[^<>]*>", re.I)

# Values a front matter key may have; datetime is a date.
_SCALARS = (str, int, float, dt.date)


def _heading_text(match: re.Match[str]) -> str:
    """The text of an ATX heading without its closing hashes: "## Aanpak ##" -> "Aanpak"."""
    return match.group(1).rstrip().rstrip("#").rstrip()


def _html_to_text(value: str) -> str:
    if "<" not in value:
        return value
    return parse_html(value).get_text(" ", strip=True)


def _clean_value(value: object, is_list: bool) -> object:
    """A scalar (strings without their HTML); a list of scalars, as a list for a list key and
    joined with commas for any other; None for any other shape. A list where one value belongs
    cannot be hashed downstream, and YAML aliases nest lists a billion strings deep in a few lines."""
    if isinstance(value, str):
        return _html_to_text(value)
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, list):
        items = [_clean_value(item, False) for item in value if isinstance(item, _SCALARS)]
        return items if is_list else ", ".join(str(item) for item in items)
    return None


def read_front_matter(text: str, path: Path) -> tuple[dict, str]:
    """The front matter exactly as YAML reads it (for files with structured front matter, such as
    dossiers) and the body after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1))
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        # ValueError: a date YAML recognises but the calendar does not have ("2024-02-30").
        raise ExtractionError(path, Problem.BAD_SIDECAR, f"de kop (front matter) is geen geldige YAML: {exc}") from exc
    return (data if isinstance(data, dict) else {}), text[match.end() :]


def split_front_matter(text: str, path: Path) -> tuple[dict[str, object], str]:
    """The front matter as metadata (keys lowercased, aliases mapped, values cleaned) and the body."""
    data, body = read_front_matter(text, path)
    front = {}
    for key, value in data.items():
        name = str(key).strip().lower()
        name = FRONT_MATTER_ALIASES.get(name, name)
        front[name] = _clean_value(value, is_list=name in LIST_KEYS)
    return front, body


def markdown_to_text(body: str) -> str:
    """Plain text from Markdown: markup removed, one line per block."""
    text = _HTML_BLOCK_TAG.sub("\n", body)
    text = _HTML_TAG.sub("", text)
    text = _FENCE.sub("", text)
    text = _LINK_DEFINITION.sub("", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _REFERENCE_LINK.sub(r"\1", text)
    text = _HEADING.sub(_heading_text, text)
    text = _SETEXT_UNDERLINE.sub("", text)
    text = _TABLE_RULE.sub("", text)
    text = _BLOCKQUOTE.sub("", text)
    text = _LIST_MARKER.sub(r"\1", text)
    text = _INLINE_CODE.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _TABLE_PIPE.sub("  ", text)
    return html.unescape(text)


def extract_markdown(path: Path) -> Extraction:
    front, body = split_front_matter(decode_text(read_bytes(path)), path)
    # An empty theme list is kept: it says "this document has no theme", which is a curated fact.
    properties = {key: value for key, value in front.items() if value not in (None, "", []) or key == "themas"}
    if "titel" not in properties:
        heading = _TITLE_HEADING.search(body)
        if heading:
            properties["titel"] = markdown_to_text(heading.group(1).rstrip().rstrip("#")).strip()
    return Extraction(pages=(Page(1, markdown_to_text(body)),), properties=properties)
