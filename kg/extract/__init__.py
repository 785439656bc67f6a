"""The extract stage: from an Article to the claims it carries and the entities it names."""

from kg.extract import compiled

compiled.install()  # before the modules it may have to import from source (see kg.extract.compiled)

from kg.extract.catalogue import Catalogue, CatalogueError, load_catalogue  # noqa: E402
from kg.extract.rules import EXTRACTOR, RuleExtractor  # noqa: E402

__all__ = ["Catalogue", "CatalogueError", "EXTRACTOR", "RuleExtractor", "load_catalogue"]
