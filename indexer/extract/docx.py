"""Word files (.docx, Office Open XML): the body text paragraph by paragraph, title and author from
the document's own properties. Headings start their own section of text; a .docx has no pages.

Headers, footers and comments are left out (they repeat or are not the document's text), and so is
the fallback copy that Word writes of every text box for older readers (`mc:Fallback`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import Element

from indexer.extract.office import office_properties, open_archive, parse_part, text_of, zip_members
from indexer.models import Extraction, Page

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
DOCUMENT_PART = "word/document.xml"
# Built-in style names are stored in English whatever the language of Word ("heading 1" has the id "Kop1").
_HEADING_STYLE = re.compile(r"^(heading \d|title)$", re.I)
_TEXT_BREAKS = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n"}


def is_docx(handle: BinaryIO) -> bool:
    return DOCUMENT_PART in zip_members(handle)


def _heading_styles(styles: Element | None) -> tuple[frozenset[str], str]:
    """The ids of heading styles, and the id of the Title style."""
    headings, title = set(), ""
    for style in styles.iter(f"{_W}style") if styles is not None else ():
        name = style.find(f"{_W}name")
        label = name.get(f"{_W}val", "") if name is not None else ""
        style_id = style.get(f"{_W}styleId", "")
        if _HEADING_STYLE.match(label) or style.find(f"{_W}pPr/{_W}outlineLvl") is not None:
            headings.add(style_id)
        if label.lower() == "title":
            title = style_id
    return frozenset(headings), title


def _paragraphs(body: Element) -> list[tuple[str, str]]:
    """(style id or "", text) per paragraph, in reading order; text in text boxes follows its anchor."""
    for parent in list(body.iter()):
        for child in [child for child in parent if child.tag == _MC_FALLBACK]:
            parent.remove(child)
    paragraphs: list[tuple[str, list[str]]] = []
    for element in body.iter():
        if element.tag == f"{_W}p":
            style = element.find(f"{_W}pPr/{_W}pStyle")
            paragraphs.append((style.get(f"{_W}val", "") if style is not None else "", []))
        elif paragraphs and element.tag == f"{_W}t":
            paragraphs[-1][1].append(element.text or "")
        elif paragraphs and element.tag in _TEXT_BREAKS:
            paragraphs[-1][1].append(_TEXT_BREAKS[element.tag])
    return [(style, "".join(parts)) for style, parts in paragraphs]


def extract_docx(path: Path) -> Extraction:
    with open_archive(path) as archive:
        document = parse_part(path, archive, DOCUMENT_PART)
        styles = parse_part(path, archive, "word/styles.xml", required=False)
        core = parse_part(path, archive, "docProps/core.xml", required=False)
    headings, title_style = _heading_styles(styles)
    paragraphs = _paragraphs(document)
    lines = []
    for style, text in paragraphs:
        if style in headings:
            lines.append("")  # a heading opens a section
        lines.append(text)
    # The Title paragraph, else the first heading: what a reader takes for the title.
    candidates = [text.strip() for style, text in paragraphs if style == title_style and title_style]
    candidates += [text.strip() for style, text in paragraphs if style in headings]
    title = next(filter(None, candidates), "")

    def core_value(name: str) -> str:
        return text_of(core.find(name)) if core is not None else ""

    properties = office_properties(
        core_value(f"{_DC}title") or title,
        core_value(f"{_DC}creator"),
        core_value(f"{_DC}description") or core_value(f"{_DC}subject"),
        core_value(f"{_DCTERMS}created"),
    )
    return Extraction(pages=(Page(1, "\n".join(lines)),), properties=properties)
