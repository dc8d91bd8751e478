"""Registries and management information systems: data quality, deduplication, linkage.

Three parts, one private file each:

- data quality: :func:`quality_profile` (a tidy table by completeness, validity,
  uniqueness, consistency and timeliness), :func:`quality_failures` (every record that
  breaks a rule) and :func:`registry_schema` (the rules, declared with pandera);
- deduplication and linkage with splink (DuckDB by default): :func:`deduplicate`,
  :func:`link` (one model, :func:`linkage_settings`), scored against a ground truth
  with :func:`match_quality` (pair precision, recall and F1 and cluster counts by
  threshold);
- from lists to people: :func:`persons_covered` counts persons covered by any
  programme after linkage against the sum of the programme lists.

Names are compared on a romanised form (``anyascii``) kept beside the original
spelling, so the defaults work on Tajik Cyrillic, Lao script and Latin alike.
"""

from socialprotection.registry._linkage import (
    EM_RECORDS,
    MIN_TRAINING_RECORDS,
    NAME_FOLDING,
    PRIOR_M,
    PRIOR_U,
    deduplicate,
    link,
    linkage_settings,
    match_quality,
    name_key,
)
from socialprotection.registry._people import persons_covered
from socialprotection.registry._quality import (
    QUALITY_RULES,
    quality_failures,
    quality_profile,
    registry_schema,
)

__all__ = [
    "EM_RECORDS",
    "MIN_TRAINING_RECORDS",
    "NAME_FOLDING",
    "PRIOR_M",
    "PRIOR_U",
    "QUALITY_RULES",
    "deduplicate",
    "link",
    "linkage_settings",
    "match_quality",
    "name_key",
    "persons_covered",
    "quality_failures",
    "quality_profile",
    "registry_schema",
]
