"""Extraction a batch at a time (kg.extract.batch): the same results as one article at a
time, in the same order, each article failing alone."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from kg.extract import RuleExtractor, load_catalogue
from kg.extract.batch import extract_stream
from kg.model import SourceError
from kg.pipeline import extract_corpus, extract_one, map_articles
from kg.sources import read_articles

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "corpus"


@pytest.fixture(scope="module")
def extractor() -> RuleExtractor:
    return RuleExtractor(load_catalogue())


def one_at_a_time(extractor: RuleExtractor) -> list:
    return [item if isinstance(item, SourceError) else extract_one(extractor, item) for item in read_articles([EXAMPLES])]


@pytest.mark.parametrize("size", [1, 2, 7, 32])
def test_a_batch_extracts_what_one_article_at_a_time_does(extractor, size):
    expected = one_at_a_time(extractor)
    found = [result for _, result in extract_stream(extractor, read_articles([EXAMPLES]), size)]
    assert found == expected
    assert gc.isenabled()


def test_the_corpus_and_its_workers_extract_what_one_article_at_a_time_does(extractor):
    expected = one_at_a_time(extractor)
    assert list(extract_corpus([EXAMPLES], extractor)) == expected
    done = [d.result for d in map_articles([EXAMPLES], extractor.catalogue, lambda e, c, pos: e)]
    assert done == expected


class Failing(RuleExtractor):
    """An extractor with a bug in one article's preparation and another's sentences."""

    def prepare(self, article):
        if article.path.endswith("ex02_meta-microsoft-capex-calls.md"):
            raise ValueError("bad preparation")
        return super().prepare(article)

    def claims_of(self, prepared):
        if prepared[0].path.endswith("ex03_hk-tech-rally-gs-ms.md"):
            raise KeyError("bad sentence")
        return super().claims_of(prepared)


def test_an_article_whose_extraction_raises_fails_alone(extractor):
    failing = Failing(extractor.catalogue, extractor.lexicon, extractor.actions)
    expected = one_at_a_time(extractor)
    found = [result for _, result in extract_stream(failing, read_articles([EXAMPLES]), 32)]
    reasons = {r.path.rsplit("/", 1)[-1]: r.reason for r in found if isinstance(r, SourceError)}
    assert reasons == {"ex02_meta-microsoft-capex-calls.md": "extraction failed: ValueError: bad preparation",
                       "ex03_hk-tech-rally-gs-ms.md": "extraction failed: KeyError: 'bad sentence'"}
    assert [r for r in found if not isinstance(r, SourceError)] == [
        r for r in expected if not r.article.path.endswith(("ex02_meta-microsoft-capex-calls.md", "ex03_hk-tech-rally-gs-ms.md"))]
    assert gc.isenabled()


def test_a_batch_leaves_the_collector_off_when_it_was_off(extractor):
    gc.disable()
    try:
        list(extract_stream(extractor, read_articles([EXAMPLES])))
        assert not gc.isenabled()
    finally:
        gc.enable()
