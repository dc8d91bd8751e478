"""Synthetic data shaped like Tajikistan or Lao PDR, for teaching and testing.

**Every table made here is synthetic**: it carries a ``synthetic`` column that is all
True and ``frame.attrs["synthetic"] = True``. Never quote a number computed from it as
a fact about the country.

One private module per kind of data:

- household surveys: :func:`household_survey` and :func:`calibration_targets`
  (module ``socialprotection.synthetic._surveys``, documented below);
- the administrative registries of one hidden population: :func:`registry_ecosystem`
  (civil registration, national ID register, social registry, programme beneficiary
  lists and payroll, with injected errors and the ground truth returned separately;
  module ``socialprotection.synthetic._registries``), whose national IDs carry a
  Luhn check digit: :func:`national_id_check_digit` and :func:`valid_national_id`
  (module ``socialprotection.synthetic._national_id``);
- the event log of a management information system (MIS), with the true eligibility of
  every case: :func:`event_log` (outreach to payments, grievances and exit; module
  ``socialprotection.synthetic._events``, parameters in ``events.yaml``).
"""

from socialprotection.synthetic._events import (
    EVENT_ACTIVITIES,
    EventLog,
    event_log,
    event_parameters,
)
from socialprotection.synthetic._national_id import national_id_check_digit, valid_national_id
from socialprotection.synthetic._registries import (
    REGISTRY_ERROR_RATES,
    REGISTRY_PROGRAMMES,
    RegistryEcosystem,
    registry_ecosystem,
)
from socialprotection.synthetic._surveys import (
    BENEFIT_LEVELS,
    CALIBRATION,
    CONTRIBUTORY_PROGRAMMES,
    COUNTRIES,
    DTYPES,
    ILLUSTRATIVE,
    PROGRAMMES,
    REGIONS,
    calibration_targets,
    household_survey,
)

__all__ = [
    "BENEFIT_LEVELS",
    "CALIBRATION",
    "COUNTRIES",
    "CONTRIBUTORY_PROGRAMMES",
    "DTYPES",
    "EVENT_ACTIVITIES",
    "EventLog",
    "ILLUSTRATIVE",
    "PROGRAMMES",
    "REGIONS",
    "REGISTRY_ERROR_RATES",
    "REGISTRY_PROGRAMMES",
    "RegistryEcosystem",
    "calibration_targets",
    "event_log",
    "event_parameters",
    "household_survey",
    "national_id_check_digit",
    "registry_ecosystem",
    "valid_national_id",
]
