"""Administrative governance: the delivery chain in numbers, from an MIS event log.

Every function reads an event log: a frame with one row per event and the columns
``case_id``, ``activity`` and ``timestamp`` (other names through the keywords ``case``,
``activity`` and ``timestamp``), and optionally group columns such as ``district`` or
``programme`` (keyword ``by``). Each returns a tidy table by group, with its numerator and
denominator. No row is dropped or reordered; problems are reported by name and count.

Five parts, one private file each:

- reading and checking a log: :func:`check_event_log` (``_log``), with the activity
  names, the default funnel and the order rules of ``chain.yaml``
  (:data:`DELIVERY_ACTIVITIES`, :data:`FUNNEL_STEPS`, :data:`RULES`);
- how cases move: :func:`funnel`, :func:`case_durations`, :func:`processing_times`,
  :func:`backlog` and :func:`past_standard` (``_flow``);
- payments: :func:`payment_timeliness`, :func:`reconciliation` and
  :func:`cost_per_transfer` (``_payments``);
- grievances: :func:`grievance_rates` and :func:`grievance_resolution`
  (``_grievances``, tiers :data:`GRIEVANCE_TIERS`);
- targeting: :func:`targeting_errors` (``_targeting``); the process map:
  :func:`directly_follows` and :func:`variants` (``_process``).

A SYNTHETIC log to practise on: :func:`socialprotection.synthetic.event_log`.
"""

from socialprotection.delivery._flow import (
    backlog,
    case_durations,
    funnel,
    past_standard,
    processing_times,
)
from socialprotection.delivery._grievances import (
    GRIEVANCE_TIERS,
    grievance_rates,
    grievance_resolution,
)
from socialprotection.delivery._log import (
    DELIVERY_ACTIVITIES,
    FUNNEL_STEPS,
    RULES,
    check_event_log,
)
from socialprotection.delivery._payments import (
    cost_per_transfer,
    payment_timeliness,
    reconciliation,
)
from socialprotection.delivery._process import directly_follows, variants
from socialprotection.delivery._targeting import targeting_errors

__all__ = [
    "DELIVERY_ACTIVITIES",
    "FUNNEL_STEPS",
    "GRIEVANCE_TIERS",
    "RULES",
    "backlog",
    "case_durations",
    "check_event_log",
    "cost_per_transfer",
    "directly_follows",
    "funnel",
    "grievance_rates",
    "grievance_resolution",
    "past_standard",
    "payment_timeliness",
    "processing_times",
    "reconciliation",
    "targeting_errors",
    "variants",
]
