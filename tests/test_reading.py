"""Document text as paragraphs: wrapped PDF lines joined, paragraphs and headings kept apart."""

from __future__ import annotations

import pytest

from search_app.reading import paragraphs

WRAPPED = (
    "Praat met de jongere, zonder te oordelen over de relatie. Vraag door naar geld,\n"
    "schulden, beelden en het gevoel van vrijheid. Leg uw signalen vast en volg de\n"
    "meldcode als u in een organisatie werkt die daaronder valt."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (WRAPPED, [WRAPPED.replace("\n", " ")]),
        ("Eerste alinea.\n\nTweede alinea.", ["Eerste alinea.", "Tweede alinea."]),
        (
            "Seksueel overdraagbare aandoeningen, herhaald gebruik van de morning-afterpil.\nSignalen in de omgeving",
            [
                "Seksueel overdraagbare aandoeningen, herhaald gebruik van de morning-afterpil.",
                "Signalen in de omgeving",
            ],
        ),
        (
            "Wat kunt u doen?\n" + WRAPPED,
            ["Wat kunt u doen?", WRAPPED.replace("\n", " ")],
        ),
        (
            "Het aandeel meldingen dat via gemeenten zelf binnenkomt, is nog beperkt. Daar ligt\n"
            "ruimte voor verbetering in de kleinere gemeenten van de regio, zoals de monitor laat zien.\n"
            "Een derde regel van ongeveer dezelfde lengte als de regels hierboven, ook gewoon.\n"
            "Een vierde regel die door een samengevoegd afgebroken woord veel en veel langer is dan de rest.\n"
            "Kort slot.",
            [
                "Het aandeel meldingen dat via gemeenten zelf binnenkomt, is nog beperkt. Daar ligt ruimte voor "
                "verbetering in de kleinere gemeenten van de regio, zoals de monitor laat zien. Een derde regel van "
                "ongeveer dezelfde lengte als de regels hierboven, ook gewoon. Een vierde regel die door een "
                "samengevoegd afgebroken woord veel en veel langer is dan de rest. Kort slot."
            ],
        ),
        ("  \n\n", []),
    ],
    ids=["wrapped lines", "blank line", "heading after a paragraph", "heading before one", "long line", "empty"],
)
def test_page_text_reads_as_paragraphs(text: str, expected: list[str]) -> None:
    assert paragraphs(text) == expected
