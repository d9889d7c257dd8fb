"""OpenDocument text (.odt, as LibreOffice and many municipalities write it): the body text, title
and author from the document's own metadata. Headings start their own section; an .odt has no pages.

Comments (`office:annotation`) and the record of deleted text (`text:tracked-changes`) are left out:
they are not what the document says.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import Element

from indexer.extract.office import office_properties, open_archive, parse_part, read_member, text_of, zip_members
from indexer.models import Extraction, Page

MIME_TYPE = "application/vnd.oasis.opendocument.text"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_SKIPPED = frozenset({f"{_OFFICE}annotation", f"{_TEXT}tracked-changes", f"{_TEXT}note-citation"})
_BLOCKS = frozenset({f"{_TEXT}p", f"{_TEXT}h"})
_BREAKS = {f"{_TEXT}tab": "\t", f"{_TEXT}line-break": "\n"}


def is_odt(handle: BinaryIO) -> bool:
    """An OpenDocument text by its `mimetype` member (spreadsheets and presentations have others)."""
    if "content.xml" not in zip_members(handle):
        return False
    handle.seek(0)
    return read_member(handle, "mimetype", len(MIME_TYPE) + 1).strip() == MIME_TYPE.encode()


def _blocks(body: Element) -> list[tuple[bool, str]]:
    """(is heading, text) per paragraph or heading, in reading order, walked without recursion."""
    blocks: list[tuple[bool, list[str]]] = []
    stack: list[tuple[Element, bool]] = [(body, False)]  # element, or its tail once its children are done
    while stack:
        element, is_tail = stack.pop()
        if is_tail:
            if blocks and element.tail:
                blocks[-1][1].append(element.tail)
            continue
        if element.tag in _SKIPPED:
            stack.append((element, True))
            continue
        if element.tag in _BLOCKS:
            blocks.append((element.tag == f"{_TEXT}h", []))
        if blocks:
            if element.tag == f"{_TEXT}s":
                blocks[-1][1].append(" " * min(int(element.get(f"{_TEXT}c", "1") or 1), 100))
            blocks[-1][1].append(_BREAKS.get(element.tag, "") + (element.text or ""))
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    return [(heading, "".join(parts)) for heading, parts in blocks]


def extract_odt(path: Path) -> Extraction:
    with open_archive(path) as archive:
        content = parse_part(path, archive, "content.xml")
        meta = parse_part(path, archive, "meta.xml", required=False)
    body = content.find(f"{_OFFICE}body")
    lines = []
    blocks = _blocks(body if body is not None else content)
    for heading, text in blocks:
        if heading:
            lines.append("")  # a heading opens a section
        lines.append(text)
    info = meta.find(f"{_OFFICE}meta") if meta is not None else None

    def meta_value(name: str) -> str:
        return text_of(info.find(name)) if info is not None else ""

    properties = office_properties(
        meta_value(f"{_DC}title") or next((text.strip() for heading, text in blocks if heading), ""),
        meta_value(f"{_META}initial-creator") or meta_value(f"{_DC}creator"),
        meta_value(f"{_DC}description") or meta_value(f"{_DC}subject"),
        meta_value(f"{_META}creation-date"),
    )
    return Extraction(pages=(Page(1, "\n".join(lines)),), properties=properties)
