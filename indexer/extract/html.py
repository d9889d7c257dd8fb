"""HTML pages through BeautifulSoup: the article, not the site around it.

Navigation, headers, footers, cookie banners, scripts and styles repeat on every page of a site;
indexing them would make every page match "nieuwsbrief" or "privacy". We keep the main content.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Tag

from indexer.dates import parse_date
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
_BLOCKS = frozenset(
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
# A site name after the title: "Terugblik leerhuis | VeiligheidsAlliantie".
_TITLE_SUFFIX = re.compile(r"\s+[|\u2013\u2014-]\s+[^|\u2013\u2014-]{2,60}$")


def _meta(soup: BeautifulSoup, *names: str) -> str:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if isinstance(tag, Tag) and str(tag.get("content", "")).strip():
            return str(tag["content"]).strip()
    return ""


def _is_chrome(tag: Tag) -> bool:
    if tag.attrs is None:
        return False
    if str(tag.get("role", "")).lower() in ("navigation", "banner", "contentinfo", "complementary"):
        return True
    words = " ".join([*tag.get("class", []), str(tag.get("id", ""))])
    return bool(words.strip()) and bool(_CHROME_MARKERS.search(words))


def _main_content(soup: BeautifulSoup) -> Tag:
    for candidate in (soup.find("main"), soup.find(attrs={"role": "main"}), soup.find("article")):
        if isinstance(candidate, Tag):
            return candidate
    return soup.body if isinstance(soup.body, Tag) else soup


def _drop_chrome(root: Tag) -> None:
    for comment in root.find_all(string=lambda node: isinstance(node, Comment)):
        comment.extract()
    for tag in root.find_all(_ALWAYS_DROP):
        tag.decompose()
    for tag in root.find_all(_CHROME):
        if tag.find_parent("article") is None or tag.name in ("nav", "aside"):
            tag.decompose()
    for tag in root.find_all(True):
        if not tag.decomposed and tag.name not in ("html", "body", "main", "article") and _is_chrome(tag):
            tag.decompose()


def _block_text(root: Tag) -> str:
    """Text with line breaks between block elements and none inside a sentence."""
    parts: list[str] = []
    for node in root.descendants:
        if isinstance(node, Tag):
            if node.name in _BLOCKS:
                parts.append("\n")
        elif isinstance(node, str):
            parts.append(str(node))
    return "".join(parts)


def _date(soup: BeautifulSoup, main: Tag) -> object:
    time_tag = main.find("time") or soup.find("time")
    candidates = [
        _meta(soup, "article:published_time", "date", "dc.date", "DC.date", "dcterms.created"),
        str(time_tag.get("datetime", "")) if isinstance(time_tag, Tag) else "",
        time_tag.get_text(" ", strip=True) if isinstance(time_tag, Tag) else "",
    ]
    for candidate in candidates:
        parsed = parse_date(candidate)
        if parsed:
            return parsed
    return None


def extract_html(path: Path) -> Extraction:
    soup = BeautifulSoup(read_bytes(path), "html.parser")
    properties: dict[str, object] = {}
    h1 = soup.find("h1")
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    title = (
        _meta(soup, "og:title")
        or (h1.get_text(" ", strip=True) if isinstance(h1, Tag) else "")
        or _TITLE_SUFFIX.sub("", page_title)
    )
    if title:
        properties["titel"] = title
    description = _meta(soup, "description", "og:description")
    if description:
        properties["samenvatting"] = description
    source = _meta(soup, "og:site_name", "author", "publisher")
    if source:
        properties["bron"] = source
    html_tag = soup.find("html")
    if isinstance(html_tag, Tag) and html_tag.get("lang"):
        properties["taal"] = str(html_tag["lang"]).split("-")[0].lower()
    main = _main_content(soup)
    date = _date(soup, main)
    if date:
        properties["datum"] = date
    _drop_chrome(main)
    return Extraction(pages=(Page(1, _block_text(main)),), properties=properties)
