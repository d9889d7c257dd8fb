"""Markdown with optional YAML front matter, turned into plain text.

We do not render Markdown; we remove its markup so that the index holds the words a reader sees.
Front matter values may contain HTML (some site generators put `<em>` in titles); its text is kept.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from indexer.errors import ExtractionError, Problem
from indexer.extract.plaintext import decode_text, read_bytes
from indexer.models import Extraction, Page

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$", re.M)
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+)\s*$", re.M)
_FENCE = re.compile(r"^\s{0,3}(```|~~~).*$", re.M)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$", re.M)
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~)(?=\S)(.+?)(?<=\S)\1")
_INLINE_CODE = re.compile(r"`([^`]*)`")
_LIST_MARKER = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+", re.M)
_BLOCKQUOTE = re.compile(r"^\s{0,3}>\s?", re.M)
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$", re.M)
_TABLE_PIPE = re.compile(r"(?<!\\)\|")
_HTML_TAG = re.compile(r"<[^>]+>")
_HTML_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|h[1-6]|tr|table|section)\b[^>]*>", re.I)

# English front matter keys from common site generators, mapped to our Dutch metadata keys.
FRONT_MATTER_ALIASES = {
    "title": "titel",
    "date": "datum",
    "description": "samenvatting",
    "summary": "samenvatting",
    "author": "bron",
    "lang": "taal",
    "language": "taal",
    "type": "soort",
}


def _html_to_text(value: str) -> str:
    if "<" not in value:
        return value
    return BeautifulSoup(value, "html.parser").get_text(" ", strip=True)


def _clean_value(value: object) -> object:
    if isinstance(value, str):
        return _html_to_text(value)
    if isinstance(value, list):
        return [_clean_value(item) for item in value]
    return value


def split_front_matter(text: str, path: Path) -> tuple[dict[str, object], str]:
    """The front matter as a dict (keys lowercased, aliases mapped) and the body after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise ExtractionError(path, Problem.BAD_SIDECAR, f"de kop (front matter) is geen geldige YAML: {exc}") from exc
    if not isinstance(data, dict):
        return {}, text[match.end() :]
    front = {}
    for key, value in data.items():
        name = str(key).strip().lower()
        front[FRONT_MATTER_ALIASES.get(name, name)] = _clean_value(value)
    return front, text[match.end() :]


def markdown_to_text(body: str) -> str:
    """Plain text from Markdown: markup removed, one line per block."""
    text = _HTML_BLOCK_TAG.sub("\n", body)
    text = _HTML_TAG.sub("", text)
    text = _FENCE.sub("", text)
    text = _LINK_DEFINITION.sub("", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _REFERENCE_LINK.sub(r"\1", text)
    text = _HEADING.sub(r"\2", text)
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
        heading = _HEADING.search(body)
        if heading:
            properties["titel"] = markdown_to_text(heading.group(2)).strip()
    return Extraction(pages=(Page(1, markdown_to_text(body)),), properties=properties)
