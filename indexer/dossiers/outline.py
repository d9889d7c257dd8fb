"""A document that is no PDF, as the Markdown subset the PDF layout sets (`pdf_layout.body_flowables`):
so a dossier PDF shows its headings and lists, not flat text.

Markdown is taken as written (front matter dropped, links as their text); HTML's main content is
walked once, headings and list items marked as Markdown marks them; any other document is its
indexed text, a paragraph per block.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import NavigableString, Tag

from indexer.engine.results import StoredDocument
from indexer.errors import ExtractionError
from indexer.extract import MARKDOWN, format_of_file
from indexer.extract.html import BLOCK_TAGS, main_content_of
from indexer.extract.markdown import read_front_matter
from indexer.extract.plaintext import decode_text

# Below the document's own title, which the PDF sets as its first heading.
HEADINGS = {"h1": "##", "h2": "##", "h3": "###", "h4": "###", "h5": "###", "h6": "###"}
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def outline(stored: StoredDocument, documents_dir: Path) -> str:
    """The document's text with its headings and lists, from its file when that can still be read."""
    path = documents_dir / stored.path
    format_ = format_of_file(path) if path.is_file() else None
    try:
        if format_ is MARKDOWN:
            body = read_front_matter(decode_text(path.read_bytes()), path)[1]
            return _without_title(_LINK.sub(r"\1", body), stored.title)
        if format_ is not None and format_.suffixes[0] in (".html", ".htm"):
            return _without_title(html_outline(main_content_of(path)), stored.title)
    except (OSError, ExtractionError):
        pass  # changed on disk since it was indexed: the indexed text below
    return "\n\n".join(text for _, text in stored.pages)


def _without_title(text: str, title: str) -> str:
    """The text without a first heading that repeats the title (the PDF sets the title above it)."""
    first, _, rest = text.lstrip().partition("\n")
    return rest if first.startswith("#") and first.lstrip("#").strip() == title.strip() else text


def html_outline(main: Tag) -> str:
    """Headings as `#`, list items as `-` or `1.`, other blocks as paragraphs; walked with a stack,
    so deeply nested markup costs no recursion."""
    parts: list[str] = []
    stack: list[tuple[object, bool]] = [(child, False) for child in reversed(main.contents)]
    while stack:
        node, in_item = stack.pop()
        if isinstance(node, Tag):
            if node.name in HEADINGS:
                parts.append(f"\n\n{HEADINGS[node.name]} ")
            elif node.name == "li":
                parent = node.parent.name if node.parent else ""
                parts.append("\n1. " if parent == "ol" else "\n- ")
            elif node.name in BLOCK_TAGS and not in_item:
                parts.append("\n\n")
            stack.extend((child, in_item or node.name == "li") for child in reversed(node.contents))
        elif isinstance(node, NavigableString):
            parts.append(_SPACES.sub(" ", str(node).replace("\n", " ")))
    lines = (line.strip() for line in "".join(parts).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
