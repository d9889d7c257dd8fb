"""Documents that are no PDF keep their headings and lists in the dossier PDF (`indexer.dossiers.outline`)."""

from __future__ import annotations

from pathlib import Path

from indexer.dossiers.outline import html_outline
from indexer.extract.html import main_content_of

PAGE = """<!doctype html><html><head><title>Nieuws</title><script>var x = 1;</script></head><body>
<nav><a href="/">Home</a></nav>
<main>
  <h1>Congres over uitbuiting</h1>
  <p>Ruim <strong>250 professionals</strong> kwamen
     naar Rotterdam.</p>
  <h2>Workshops</h2>
  <ul><li>Van like tot lokaas</li><li><p>Uithalers in de haven</p></li></ul>
  <h3>Na afloop</h3>
  <ol><li>Eerste stap</li><li>Tweede stap</li></ol>
</main>
<footer>Colofon</footer></body></html>"""


def test_html_keeps_its_headings_and_lists_and_drops_its_chrome(tmp_path: Path) -> None:
    path = tmp_path / "nieuws.html"
    path.write_text(PAGE, encoding="utf-8")
    assert html_outline(main_content_of(path)).split("\n") == [
        "## Congres over uitbuiting",
        "",
        "Ruim 250 professionals kwamen naar Rotterdam.",
        "",
        "## Workshops",
        "",
        "- Van like tot lokaas",
        "- Uithalers in de haven",
        "",
        "### Na afloop",
        "",
        "1. Eerste stap",
        "1. Tweede stap",
    ]


def test_deeply_nested_html_costs_no_recursion(tmp_path: Path) -> None:
    path = tmp_path / "diep.html"
    path.write_text("<main>" + "<div>" * 5000 + "Diep verstopt." + "</div>" * 5000 + "</main>", encoding="utf-8")
    assert html_outline(main_content_of(path)) == "Diep verstopt."
