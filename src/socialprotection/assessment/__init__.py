"""Institutional and functional assessment: mandates, the assessment matrix, a costed roadmap.

Three parts, one private file each:

- who is mandated to do what: :func:`mandate_map` (institutions against functions,
  with the legal basis), :func:`mandate_findings` (overlaps, gaps and
  inconsistencies) and :func:`plot_mandate_map`;
- what is missing and what to do: :func:`draft_matrix` (rows drafted from the
  findings) and :func:`assessment_matrix`, in the style of the
  first step of the ILO assessment-based national dialogue (guarantee, existing
  provision, policy gap, implementation issue, recommendation);
- how to get there: :func:`roadmap_schedule`, :func:`critical_path`,
  :func:`roadmap_cost_by_year` and :func:`plot_roadmap` for a costed roadmap of
  activities with cost, duration, dependencies and a responsible institution.

Tidy tables in, tidy tables and charts out.
:func:`assessment_table` reads the small tables that ship with the library: the four
guarantees of Recommendation No. 202, the seven areas of service delivery of the IOM
assessment of labour migration governance in Tajikistan, the Tajik institutions named in
the sources and, made up for the book and labelled ILLUSTRATIVE, a mandate map and a
roadmap for them.

Sources: ILO, Social Protection Floors Recommendation, 2012 (No. 202); ILO, assessment-
based national dialogue (ABND) guide; IOM, terms of reference of the institutional and
functional assessment of migration governance in Tajikistan (2026); World Bank
functional reviews.
"""

from socialprotection.assessment._mandates import (
    ROLES,
    mandate_findings,
    mandate_map,
    plot_mandate_map,
)
from socialprotection.assessment._matrix import STATUSES, assessment_matrix, draft_matrix
from socialprotection.assessment._roadmap import (
    critical_path,
    plot_roadmap,
    roadmap_cost_by_year,
    roadmap_schedule,
)
from socialprotection.assessment._tables import assessment_table

__all__ = [
    "ROLES",
    "STATUSES",
    "assessment_matrix",
    "assessment_table",
    "critical_path",
    "draft_matrix",
    "mandate_findings",
    "mandate_map",
    "plot_mandate_map",
    "plot_roadmap",
    "roadmap_cost_by_year",
    "roadmap_schedule",
]
