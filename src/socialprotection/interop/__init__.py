"""Interoperability: registry records in a real exchange standard, and messages you can check.

The book bundles a small extract of the Digital Convergence Initiative (DCI) social
registry API (``spdci/standards``, Apache-2.0; the message headers, the search request
and the search response, repaired into valid OpenAPI as its ``NOTICE`` lists) and a JSON
Schema of person, group and member records written for the book from the DCI
vocabulary (derived, not official). Two parts, one private file each:

- records and search: :func:`to_dci` and :func:`from_dci` map social registry rows
  to DCI group records and back; :func:`search_request` builds a search and
  :func:`answer_search` answers it from a registry, in-process (no server);
- validation: :func:`validate` returns every error of a message with its JSON path and
  a plain-language reason; :func:`official_samples` and :func:`conformance` check the
  official DCI sample messages.
"""

from socialprotection.interop._records import (
    OPERATORS,
    REGISTRY_COLUMNS,
    SEARCH_ATTRIBUTES,
    answer_search,
    from_dci,
    search_request,
    to_dci,
)
from socialprotection.interop._validate import (
    SCHEMAS,
    conformance,
    dci_folder,
    dci_spec,
    official_samples,
    record_schema,
    validate,
)

__all__ = [
    "OPERATORS",
    "REGISTRY_COLUMNS",
    "SCHEMAS",
    "SEARCH_ATTRIBUTES",
    "answer_search",
    "conformance",
    "dci_folder",
    "dci_spec",
    "from_dci",
    "official_samples",
    "record_schema",
    "search_request",
    "to_dci",
    "validate",
]
