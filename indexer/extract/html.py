"""HTML pages through BeautifulSoup: the article, not the site around it.

Navigation, headers, footers, cookie banners, scripts and styles repeat on every page of a site;
indexing them would make every page match "nieuwsbrief" or "privacy". We keep the main content.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction, Tag, UnusualUsageWarning
from bs4.dammit import EncodingDetector
from bs4.exceptions import ParserRejectedMarkup

from indexer.corpus.dates import parse_date
from indexer.extract.plaintext import read_bytes
from indexer.models import Extraction, Page

# Never content: code, styling, embedded objects and interactive chrome.
_ALWAYS_DROP = ("script", "style", "noscript", "template", "iframe", "svg", "canvas", "form", "button", "select")
# Site chrome when it stands outside the article.
_CHROME = ("nav", "header", "footer", "aside")
# Class or id words that mark chrome in sites that do not use semantic elements.
_CHROME_MARKERS = re.compile(
    r"(^|[-_ ])(cookie|consent|gdpr|banner|breadcrumbs?|kruimelpad|menu|navbar|navigation|sidebar|"
    r"skip|share|social|newsletter|nieuwsbrief|footer|header|related|gerelateerd)([-_ ]|$)",
    re.I,
)
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "br",
    ]
)
# Tags that are never chrome themselves, whatever their class says.
_NEVER_CHROME = ("html", "body", "main", "article")
# Markup that is not text: comments, <!DOCTYPE>, <?xml ...?>.
_NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)
# Labels that the HTML standard decodes as Windows-1252, whatever Python's codec of that name does.
_WINDOWS_1252_LABELS = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii"})
# "<!" that opens neither a comment nor a doctype.
_DECLARATION = re.compile(r"<!(?!--|doctype)", re.I)
# A site name after the title: "Terugblik leerhuis | VeiligheidsAlliantie".
_TITLE_SUFFIX = re.compile(r"\s+[|\u2013\u2014-]\s+[^|\u2013\u2014-]{2,60}$")


class _Landmarks:
    """The first element of each tag name, the first role="main" element and the <meta> values,
    gathered in one walk: a page of 100,000 elements is walked once, not once per question."""

    def __init__(self, soup: BeautifulSoup) -> None:
        self.first: dict[str, Tag] = {}
        self.meta: dict[tuple[str, str], str] = {}
        self.role_main: Tag | None = None
        for tag in soup.descendants:
            if not isinstance(tag, Tag):
                continue
            self.first.setdefault(tag.name, tag)
            if self.role_main is None and tag.get("role") == "main":
                self.role_main = tag
            if tag.name == "meta" and str(tag.get("content", "")).strip():
                for attribute in ("property", "name"):
                    if tag.get(attribute):
                        self.meta.setdefault((attribute, str(tag[attribute])), str(tag["content"]).strip())

    def meta_value(self, *names: str) -> str:
        for name in names:
            value = self.meta.get(("property", name)) or self.meta.get(("name", name))
            if value:
                return value
        return ""


def _is_chrome(tag: Tag) -> bool:
    if tag.attrs is None:
        return False
    if str(tag.get("role", "")).lower() in ("navigation", "banner", "contentinfo", "complementary"):
        return True
    words = " ".join([*tag.get("class", []), str(tag.get("id", ""))])
    return bool(words.strip()) and bool(_CHROME_MARKERS.search(words))


def _main_content(soup: BeautifulSoup, landmarks: _Landmarks) -> Tag:
    for candidate in (landmarks.first.get("main"), landmarks.role_main, landmarks.first.get("article")):
        if isinstance(candidate, Tag):
            return candidate
    body = landmarks.first.get("body")
    return body if body is not None else soup


def _is_dropped(tag: Tag, in_article: bool) -> bool:
    if tag.name in _ALWAYS_DROP:
        return True
    if tag.name in _CHROME and (not in_article or tag.name in ("nav", "aside")):
        return True
    return tag.name not in _NEVER_CHROME and _is_chrome(tag)


def _drop_chrome(root: Tag) -> None:
    """Remove non-text markup, scripts and chrome in one walk from the top that never enters what it
    removes: linear in the size of the page, also for 100,000 nested elements."""
    doomed = []
    root_in_article = root.name == "article" or root.find_parent("article") is not None
    stack = [(child, root_in_article) for child in root.contents]
    while stack:
        node, in_article = stack.pop()
        if isinstance(node, _NOT_TEXT) or (isinstance(node, Tag) and _is_dropped(node, in_article)):
            doomed.append(node)
        elif isinstance(node, Tag):
            stack.extend((child, in_article or node.name == "article") for child in node.contents)
    for node in doomed:
        if isinstance(node, Tag):
            node.decompose()
        else:
            node.extract()


def _block_text(root: Tag) -> str:
    """Text with line breaks between block elements and none inside a sentence."""
    parts: list[str] = []
    for node in root.descendants:
        if isinstance(node, Tag):
            if node.name in BLOCK_TAGS:
                parts.append("\n")
        elif isinstance(node, str):
            parts.append(str(node))
    return "".join(parts)


def _date(landmarks: _Landmarks, main: Tag) -> object:
    time_tag = main.find("time") or landmarks.first.get("time")
    candidates = [
        landmarks.meta_value("article:published_time", "date", "dc.date", "DC.date", "dcterms.created"),
        str(time_tag.get("datetime", "")) if isinstance(time_tag, Tag) else "",
        time_tag.get_text(" ", strip=True) if isinstance(time_tag, Tag) else "",
    ]
    for candidate in candidates:
        parsed = parse_date(candidate)
        if parsed:
            return parsed
    return None


def decode_html(data: bytes) -> str:
    """Text from the bytes of a page: a byte order mark first, then UTF-8 when the bytes are valid
    UTF-8 (pages declaring iso-8859-1 while written in UTF-8 are common: a copied template), then
    the declared charset, then Windows-1252, which is what older Dutch pages without one use."""
    data, bom_encoding = EncodingDetector.strip_byte_order_mark(data)
    declared = EncodingDetector.find_declared_encoding(data, is_html=True)
    if declared and declared.lower() in _WINDOWS_1252_LABELS:
        declared = "cp1252"
    for encoding in (bom_encoding, "utf-8", declared):
        if encoding:
            try:
                return data.decode(encoding)
            except (LookupError, ValueError):  # also a declared name no codec has ("x\0y")
                continue
    return data.decode("cp1252", errors="replace")


def parse_html(markup: str) -> BeautifulSoup:
    """BeautifulSoup over Python's html.parser, defused against what makes that parser slow or give up.

    Before Python 3.11.13 (3.12.11, 3.13.4) html.parser rescans the rest of the page at every "<"
    that no ">" follows: 100 kB of "<a <a <a" takes minutes. No tag can start there, and the parser
    reads such a "<" as text anyway, so it is escaped. Older versions also reject a malformed "<!"
    declaration outright (AssertionError, ParserRejectedMarkup); then those are read as text.
    """
    end = markup.rfind(">") + 1
    markup = markup[:end] + markup[end:].replace("<", "&lt;")
    with warnings.catch_warnings():
        # BeautifulSoup's advice on how it is called (markup that looks like a file name, XHTML) is
        # not about the page; the page is parsed all the same.
        warnings.simplefilter("ignore", UnusualUsageWarning)
        try:
            return BeautifulSoup(markup, "html.parser")
        except ParserRejectedMarkup:
            return BeautifulSoup(_DECLARATION.sub("&lt;!", markup), "html.parser")


def main_content_of(path: Path) -> Tag:
    """A page's main content as the index reads it: no scripts, navigation, headers or footers."""
    soup = parse_html(decode_html(read_bytes(path)))
    main = _main_content(soup, _Landmarks(soup))
    _drop_chrome(main)
    return main


def extract_html(path: Path) -> Extraction:
    soup = parse_html(decode_html(read_bytes(path)))
    landmarks = _Landmarks(soup)
    properties: dict[str, object] = {}
    h1, title_tag = landmarks.first.get("h1"), landmarks.first.get("title")
    # Whitespace folded first: a title with a long run of spaces would make _TITLE_SUFFIX quadratic.
    page_title = " ".join(title_tag.get_text(" ", strip=True).split()) if title_tag else ""
    title = (
        landmarks.meta_value("og:title")
        or (h1.get_text(" ", strip=True) if isinstance(h1, Tag) else "")
        or _TITLE_SUFFIX.sub("", page_title)
    )
    if title:
        properties["titel"] = title
    description = landmarks.meta_value("description", "og:description")
    if description:
        properties["samenvatting"] = description
    source = landmarks.meta_value("og:site_name", "author", "publisher")
    if source:
        properties["bron"] = source
    html_tag = landmarks.first.get("html")
    if isinstance(html_tag, Tag) and html_tag.get("lang"):
        properties["taal"] = str(html_tag["lang"]).split("-")[0].lower()
    main = _main_content(soup, landmarks)
    date = _date(landmarks, main)
    if date:
        properties["datum"] = date
    _drop_chrome(main)
    return Extraction(pages=(Page(1, _block_text(main)),), properties=properties)
