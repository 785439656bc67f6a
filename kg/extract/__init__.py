"""The extract stage: from an Article to the claims it carries and the entities it names."""

from kg.extract.catalogue import Catalogue, CatalogueError, load_catalogue
from kg.extract.rules import EXTRACTOR, RuleExtractor

__all__ = ["Catalogue", "CatalogueError", "EXTRACTOR", "RuleExtractor", "load_catalogue"]
