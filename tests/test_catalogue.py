"""The built-in catalogue: names unique, aliases unambiguous, references resolved."""

from __future__ import annotations

from collections import defaultdict

import pytest

from kg.extract.catalogue import CatalogueError, _variants, builtin_entities, load_catalogue, read_entities


def test_every_builtin_alias_names_exactly_one_entity():
    owners: dict[str, set[str]] = defaultdict(set)
    for entity in builtin_entities():
        for alias in (entity.name, *entity.aliases):
            for variant in _variants(alias):
                owners[variant].add(entity.name)
    shared = {alias: sorted(names) for alias, names in owners.items() if len(names) > 1}
    assert shared == {}


def test_every_parent_and_affiliation_is_in_the_catalogue():
    load_catalogue()  # raises CatalogueError on a dangling reference


def test_analysts_are_affiliated_with_an_institution():
    catalogue = load_catalogue()
    unaffiliated = [
        e.name
        for e in catalogue.entities.values()
        if e.role == "analyst" and (e.affiliation is None or catalogue.entities[e.affiliation].type != "Institution")
    ]
    assert unaffiliated == []


def test_an_unknown_role_is_refused_with_the_entry_named(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text('- {name: "Jane Doe", type: Person, role: "pundit"}\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match="'Jane Doe' has role 'pundit'"):
        read_entities(path)


def test_a_word_that_swallows_a_name_names_nothing():
    catalogue = load_catalogue()
    assert [m.entity.name for m in catalogue.mentions("旧金山的会议上，高通发布新芯片。")] == ["Qualcomm"]


@pytest.mark.parametrize("name", ["lexicon.yaml", "actions.yaml"])
def test_no_vocabulary_word_is_listed_twice_in_one_section(name):
    """YAML keeps the last of two equal keys silently: a second gloss would hide the first."""
    from importlib import resources

    import yaml

    repeated = []

    class Loader(yaml.SafeLoader):
        pass

    def mapping(loader, node, deep=False):
        keys = [loader.construct_object(key) for key, _ in node.value]
        repeated.extend(k for i, k in enumerate(keys) if k in keys[:i])
        return yaml.SafeLoader.construct_mapping(loader, node, deep)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    yaml.load(resources.files("kg.extract").joinpath("data", name).read_text("utf-8"), Loader=Loader)
    assert repeated == []
