"""Indicators for universal social protection, with the real data of the training book.

The public functions are available from the package itself::

    import socialprotection as sp
    sp.list_datasets()
    sp.load("countries")
    sp.headline_coverage(["TJK", "LAO", "World"])
"""

from socialprotection.datasets import (
    Citation,
    DataIntegrityError,
    citation,
    data_dir,
    list_datasets,
    load,
)
from socialprotection.published import SDG_REGION, WORLD, headline_coverage

__all__ = [
    "SDG_REGION",
    "WORLD",
    "Citation",
    "DataIntegrityError",
    "citation",
    "data_dir",
    "headline_coverage",
    "list_datasets",
    "load",
]
__version__ = "0.1.0"
