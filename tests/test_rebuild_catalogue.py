"""The catalogue a rebuild runs with, kept in its state (kg.rebuild.catalogue): the same
catalogue its files give, not read from them again while they are unchanged, and read again
once one is edited."""

from __future__ import annotations

import pytest

from kg.extract import load_catalogue
from kg.rebuild.catalogue import catalogue_for
from kg.rebuild.config import load_config
from kg.rebuild.run import Options, rebuild_locked
from kg.rebuild.state import Store

EXTRA = "- name: Lumen Grid\n  type: Company\n  aliases: [Lumen]\n"


@pytest.fixture
def config_path(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.md").write_text("Goldman Sachs said Nvidia shares look attractive.\n", encoding="utf-8")
    (tmp_path / "extra.yaml").write_text(EXTRA, encoding="utf-8")
    path = tmp_path / "kg.toml"
    path.write_text(
        '[sources]\npaths = ["articles/"]\ncatalogue = ["extra.yaml"]\n[exports]\nhtml = ""\n[neo4j]\nsync = false\n', encoding="utf-8"
    )
    return path


def _kept_catalogue(config_path):
    config = load_config(config_path)
    with Store(config.state_file) as store:
        return catalogue_for(config, store)[0]


def test_the_kept_catalogue_is_the_one_its_files_give(config_path, monkeypatch):
    rebuild_locked(load_config(config_path), Options())
    monkeypatch.setattr("kg.rebuild.catalogue.load_catalogue", lambda *a: pytest.fail("the catalogue files were read"))
    kept = _kept_catalogue(config_path)
    assert list(kept.entities.items()) == list(load_catalogue([config_path.parent / "extra.yaml"]).entities.items())
    assert kept.lookup("Lumen").name == "Lumen Grid"


def test_an_edited_catalogue_file_is_read_again(config_path):
    rebuild_locked(load_config(config_path), Options())
    (config_path.parent / "extra.yaml").write_text(EXTRA + "- name: Quill Works\n  type: Company\n", encoding="utf-8")
    assert "Quill Works" in _kept_catalogue(config_path)
