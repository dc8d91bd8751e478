"""Data protection: pseudonymisation, minimisation, k-anonymity and safe publication.

Three parts, one private file each:

- pseudonymisation: :func:`pseudonymise` (HMAC-SHA256 with a secret key);
  :func:`unkeyed_hash`, :func:`candidate_ids` and :func:`reidentify` show why a plain
  hash of a national ID protects no one (the IDs can be enumerated);
- minimisation and disclosure risk: :data:`PURPOSES` (a purpose-to-fields table, as
  data in ``purposes.yaml``) and :func:`minimise`; :func:`k_anonymity`,
  :func:`l_diversity`, :func:`group_sizes` and :func:`records_at_risk`; generalisation
  (:func:`age_bands`, :func:`regions`) and suppression until k holds (:func:`k_anonymise`);
- publication: :func:`suppress_small_cells` (the rule is :data:`SMALL_CELL_RULE`) and
  differential privacy with OpenDP (:func:`dp_counts`, :func:`dp_scale`), an optional
  extra: ``pip install "socialprotection[privacy]"``.

Missing values in a quasi-identifier are a value of their own: they are never dropped.
"""

from socialprotection.privacy._anonymity import (
    age_bands,
    age_in_years,
    group_sizes,
    k_anonymise,
    k_anonymity,
    l_diversity,
    records_at_risk,
    regions,
)
from socialprotection.privacy._minimise import PURPOSES, minimise
from socialprotection.privacy._pseudonym import (
    MAX_CANDIDATES,
    MIN_KEY_BYTES,
    candidate_ids,
    pseudonymise,
    reidentify,
    unkeyed_hash,
)
from socialprotection.privacy._publish import (
    HAS_OPENDP,
    SMALL_CELL_RULE,
    dp_counts,
    dp_scale,
    require_opendp,
    suppress_small_cells,
)

__all__ = [
    "HAS_OPENDP",
    "MAX_CANDIDATES",
    "MIN_KEY_BYTES",
    "PURPOSES",
    "SMALL_CELL_RULE",
    "age_bands",
    "age_in_years",
    "candidate_ids",
    "dp_counts",
    "dp_scale",
    "group_sizes",
    "k_anonymise",
    "k_anonymity",
    "l_diversity",
    "minimise",
    "pseudonymise",
    "records_at_risk",
    "regions",
    "reidentify",
    "require_opendp",
    "suppress_small_cells",
    "unkeyed_hash",
]
