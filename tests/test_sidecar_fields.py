"""Each declared sidecar field reaches the places that set it: front matter, the staff form and
`kennisbank toevoegen`."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from indexer.cli import build_parser
from indexer.corpus.sidecar_fields import FORM_FIELDS, SIDECAR_FIELDS, SidecarField
from indexer.extract.markdown import extract_markdown
from tests.test_staff import login, site  # noqa: F401 (the staff site fixture)

ALIASES = [(alias, field.key) for field in SIDECAR_FIELDS for alias in field.aliases]


@pytest.mark.parametrize(("alias", "key"), ALIASES)
def test_an_english_front_matter_key_sets_the_dutch_one(tmp_path: Path, alias: str, key: str) -> None:
    path = tmp_path / "notitie.md"
    path.write_text(f"---\n{alias}: waarde\n---\n# Kop\n\nTekst.\n", encoding="utf-8")
    assert extract_markdown(path).properties[key] == "waarde"


def test_the_staff_form_offers_every_form_field(site) -> None:  # noqa: F811
    app, _, _ = site
    client = app.test_client()
    login(client)
    page = BeautifulSoup(client.get("/beheer/document/factsheet-loverboys").data, "html.parser")
    form = page.select_one("form.stacked-form")
    names = {element["name"] for element in form.select("input, select, textarea") if element.get("name")}
    assert names - {"csrf_token"} == {field.key for field in FORM_FIELDS}


@pytest.mark.parametrize("field", [field for field in SIDECAR_FIELDS if field.option], ids=lambda field: field.key)
def test_toevoegen_sets_each_field_with_an_option(field: SidecarField) -> None:
    args = build_parser().parse_args(["toevoegen", "rapport.pdf", field.option.flag, "waarde"])
    assert getattr(args, field.key) == (["waarde"] if field.is_list else "waarde")
