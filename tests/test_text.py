"""Each normalisation rule, with a table of cases."""

from __future__ import annotations

import sys
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import pytest
from whoosh.lang import stemmer_for_language
from wordfreq import get_frequency_dict

from indexer.analysis.lexicon import LANGUAGE, WORDLIST
from indexer.analysis.text import fold_whitespace, join_hyphenated, normalise, strip_running_lines
from indexer.analysis.wordforms import LAST_CODE_POINT_WITH_MARKS, fold, stem


@pytest.mark.parametrize(
    ("raw", "expected", "why"),
    [
        ("ﬁnanciële ondersteuning", "financiële ondersteuning", "the fi ligature becomes two letters"),
        ("ﬂexibele inzet", "flexibele inzet", "the fl ligature becomes two letters"),
        ("e\u0301e\u0301n", "één", "decomposed accents are composed (NFKC)"),
        ("bedrag\u00a0€\u00a0250", "bedrag € 250", "no-break spaces fold to spaces"),
        ("ver\u00adbinding", "verbinding", "soft hyphens disappear"),
        ("a\x00b\x07c\x1bd", "abcd", "control characters are dropped"),
        ("regel een\r\nregel twee", "regel een\nregel twee", "Windows line ends become newlines"),
        ("\ufeffbegin", "begin", "a byte order mark is dropped"),
    ],
)
def test_normalise_rules(raw: str, expected: str, why: str) -> None:
    assert normalise(raw) == expected, why


@pytest.mark.parametrize(
    ("raw", "expected", "why"),
    [
        ("informatie-\nbeveiliging", "informatiebeveiliging", "a word broken at a line end is joined"),
        ("mensen-\n  handel", "mensenhandel", "indentation on the next line does not matter"),
        ("zorg-\nen veiligheidshuis", "zorg- en veiligheidshuis", "a Dutch ellipsis keeps its hyphen"),
        ("jeugd-\nof zedenzaken", "jeugd- of zedenzaken", "also before 'of'"),
        ("Noord-\nHolland", "Noord-Holland", "a capital after the break keeps the hyphen"),
        ("2024-\n2026", "2024-\n2026", "number ranges are left alone"),
        ("een streepje -\nalleen", "een streepje -\nalleen", "a loose dash is not a broken word"),
        ("gewoon\nnieuwe regel", "gewoon\nnieuwe regel", "a line end without a hyphen stays"),
    ],
)
def test_line_end_hyphenation(raw: str, expected: str, why: str) -> None:
    assert join_hyphenated(raw) == expected, why


@pytest.mark.parametrize(
    ("raw", "expected", "why"),
    [
        ("te   veel\t\tspaties", "te veel spaties", "runs of spaces and tabs fold"),
        ("  ingesprongen  \n  regel  ", "ingesprongen\nregel", "lines are trimmed"),
        ("alinea een\n\n\n\n\nalinea twee", "alinea een\n\nalinea twee", "at most one blank line"),
        ("\n\n  tekst  \n\n", "tekst", "the text is trimmed"),
    ],
)
def test_whitespace_folding(raw: str, expected: str, why: str) -> None:
    assert fold_whitespace(raw) == expected, why


def _pages(count: int, header: str = "Handreiking meldroute", footer: str = "Pagina {n} van {total}") -> list[str]:
    return [
        f"{header}\nInhoud van pagina {n} over het onderwerp {n * 7}.\nMeer over punt {n}.\n"
        f"{footer.format(n=n, total=count)}"
        for n in range(1, count + 1)
    ]


def test_running_header_and_numbered_footer_are_removed() -> None:
    cleaned = strip_running_lines(_pages(5))
    assert all("Handreiking meldroute" not in page for page in cleaned)
    assert all("Pagina" not in page for page in cleaned)
    assert cleaned[2] == "Inhoud van pagina 3 over het onderwerp 21.\nMeer over punt 3."


def test_bare_page_numbers_are_removed() -> None:
    pages = [f"Tekst op blad {n} met eigen inhoud nummer {n * 3}.\n{n}" for n in range(1, 6)]
    assert strip_running_lines(pages) == [f"Tekst op blad {n} met eigen inhoud nummer {n * 3}." for n in range(1, 6)]


@pytest.mark.parametrize(
    ("pages", "why"),
    [
        (["Titel\nTekst een", "Titel\nTekst twee"], "two pages are too few to tell a header from a title"),
        (
            ["Inleiding\nTekst een", "Aanpak\nTekst twee", "Resultaten\nTekst drie", "Bijlage\nTekst vier"],
            "lines differ per page",
        ),
    ],
)
def test_running_lines_that_are_not_running_stay(pages: list[str], why: str) -> None:
    cleaned = strip_running_lines(pages)
    assert [line for page in cleaned for line in page.splitlines()] == [
        line for page in pages for line in page.splitlines()
    ], why


def test_a_line_repeated_in_the_middle_of_pages_stays() -> None:
    pages = [f"Kop {n}\nA\nB\nC\nZie ook de bijlage.\nD\nE\nF\nVoet {n}" for n in range(6)]
    assert all("Zie ook de bijlage." in page for page in strip_running_lines(pages))


def test_accents_and_ligatures_fold_away_and_the_folding_table_covers_every_combining_mark() -> None:
    assert fold("Ideeën over coöperatie en ﬁnanciën") == "ideeen over cooperatie en financien"
    assert fold("𝐌𝐞𝐧𝐬𝐞𝐧𝐡𝐚𝐧𝐝𝐞𝐥 op ℂuraçao") == "mensenhandel op curacao", "capitals that decompose from other letters"
    beyond = range(LAST_CODE_POINT_WITH_MARKS + 1, sys.maxunicode + 1)
    assert not [code for code in beyond if unicodedata.combining(chr(code))]


def test_folding_run_by_run_gives_what_folding_the_whole_text_gives() -> None:
    """`fold` decomposes only the runs of non-ASCII characters; what it gives must be the whole
    text decomposed with its marks dropped and lowercased, for every character and for marks after
    ASCII letters."""

    def whole(text: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c)).lower()

    codes = (code for code in range(0x80, LAST_CODE_POINT_WITH_MARKS + 1) if not 0xD800 <= code < 0xE000)
    characters = "".join(map(chr, codes))
    texts = [f"ab {characters[start : start + 500]} e\u0301a\u0316\u0301" for start in range(0, len(characters), 500)]
    texts += ["İstanbul", "ĲSSEL", "ẞtraße", "Ångström", "a\u0300\u0316b"]
    assert [text for text in texts if fold(text) != whole(text)] == []


def test_every_dutch_word_keeps_the_stem_that_earlier_indexes_were_built_with() -> None:
    """Indexes and tags were made with Whoosh's port of the classic Snowball Dutch stemmer; the C
    stemmer that replaced it must stem every word of real Dutch alike, or a search would miss
    documents indexed before the upgrade. Stemmed from eight threads at once, as a web server does."""
    dutch = sorted({fold(word) for word in get_frequency_dict(LANGUAGE, wordlist=WORDLIST)})
    whoosh_stem = stemmer_for_language("nl")
    stem.cache_clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        stems = list(pool.map(stem, dutch, chunksize=500))
    assert [(word, ours) for word, ours in zip(dutch, stems, strict=True) if ours != whoosh_stem(word)] == []
