r"""A synthetic event log of a social protection management information system (MIS).

:func:`event_log` draws the cases of one programme office network and writes one row per
event, as an MIS keeps them: outreach, application, assessment, the eligibility decision,
enrolment, notification, monthly payment cycles (scheduled, paid, failed or returned),
grievances (opened, escalated, resolved) and exit.

===============  =========================================================================
column           what it holds
===============  =========================================================================
``case_id``      the case (one applicant or household), an integer
``person_id``    the person; with ``ecosystem`` given, a ``person_id`` of its population
``district``     the district of the case (categorical)
``programme``    ``social_assistance`` or ``child_benefit`` (categorical)
``activity``     one of :data:`EVENT_ACTIVITIES` (categorical)
``timestamp``    local time of the event, without a time zone
``channel``      ``office``, ``online`` or ``provider`` (payments), categorical
``cycle``        the payment cycle (month number from 1) of a payment event, else 0
``category``     the grievance category of a grievance event, else missing
``amount``       the amount of a payment event (local currency units), else missing
``synthetic``    always True
===============  =========================================================================

The parameters are in the data file ``events.yaml`` beside this module (district profiles,
median days of each stage, take-up, payments and grievances); all are illustrative.

How a case moves (each step drawn independently, vectorised over the cases)
---------------------------------------------------------------------------
- Outreach on a day drawn uniformly in the first 300 days of the year of ``start``.
- A truly eligible person applies with probability ``apply_if_eligible``, another with
  ``apply_if_not_eligible``; online with the district's ``online`` share.
- Each stage takes a log-normal number of days with the median of ``stages`` (office or
  online) multiplied, from the application on, by the district load
  ``reference_staff / staff``; the assessment also waits for the district's backlog (a
  uniform part of ``backlog`` days).
- The assessment finds an eligible applicant eligible with probability
  ``found_eligible_if_eligible`` and a non-eligible one with
  ``found_eligible_if_not_eligible``: this makes the inclusion and exclusion errors.
- Payments: one cycle a month from the month after enrolment, scheduled on
  ``scheduled_day``; a payment fails with the district's ``payment_failure``; otherwise it
  is late with probability ``(1 - on_time) x load`` (capped at 0.9), by one day plus an
  exponential delay, and returned with probability ``returned``.
- Beneficiaries leave with probability ``exit_per_month`` each month.
- At most one grievance per case: after a failed payment, as an appeal of a not-eligible
  decision, or at random for a beneficiary; escalated or never resolved with the given
  probabilities.
- Nothing after ``as_of`` is recorded (those events have not happened yet).

The ground truth (``truth``) holds for every case its true eligibility and what happened
to it; ``costs`` holds the administrative cost of each district (caseworkers x
``cost_per_staff``), for the cost per transfer.
"""

from __future__ import annotations

import dataclasses
import functools
import numbers
from collections.abc import Mapping
from importlib import resources

import numpy as np
import pandas as pd
import yaml

__all__ = ["EVENT_ACTIVITIES", "EventLog", "event_log", "event_parameters"]

MIN_CASES = 10
MAX_CASES = 5_000_000
_DAY = 86_400  # seconds


@functools.cache
def _parameters() -> dict:
    text = resources.files("socialprotection.synthetic").joinpath("events.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def event_parameters() -> dict:
    """Return a copy of the parameters of :func:`event_log` (the file ``events.yaml``).

    Examples
    --------
    >>> sorted(event_parameters()["districts"])
    ['LAO', 'TJK']
    >>> event_parameters()["districts"]["TJK"]["Rasht"]["staff"]
    2.5
    """
    return yaml.safe_load(yaml.safe_dump(_parameters()))


#: The activities of the synthetic log, in the order of the delivery chain.
EVENT_ACTIVITIES: tuple[str, ...] = tuple(_parameters()["activities"])


@dataclasses.dataclass(frozen=True)
class EventLog:
    """A SYNTHETIC MIS event log and its ground truth.

    Attributes
    ----------
    events : pandas.DataFrame
        One row per event, sorted by case and time (see the module text).
    truth : pandas.DataFrame
        One row per case of the intended population: ``case_id``, ``person_id``,
        ``district``, ``programme``, ``eligible`` (the true eligibility), ``applied``,
        ``found_eligible`` and ``enrolled``.
    costs : pandas.DataFrame
        One row per district: ``district``, ``staff`` (caseworkers) and ``cost`` (the
        administrative cost over the year, local currency units).
    parameters : dict
        The country, seed, sizes and the parameters used.
    """

    events: pd.DataFrame
    truth: pd.DataFrame
    costs: pd.DataFrame
    parameters: dict


def _check(country: object, n_cases: object, seed: object) -> None:
    if country not in ("TJK", "LAO"):
        raise ValueError(f"country must be 'TJK' or 'LAO'; got {country!r}")
    if isinstance(n_cases, bool) or not isinstance(n_cases, numbers.Integral):
        raise TypeError(f"n_cases must be an integer; got {n_cases!r}")
    if not MIN_CASES <= n_cases <= MAX_CASES:
        raise ValueError(
            f"n_cases must be between {MIN_CASES:,} and {MAX_CASES:,}; got {n_cases:,}"
        )
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}")


def _profiles(country: str, changes: Mapping[str, Mapping[str, float]] | None) -> pd.DataFrame:
    table = pd.DataFrame(_parameters()["districts"][country]).T
    for district, values in (changes or {}).items():
        if district not in table.index:
            raise ValueError(
                f"unknown district {district!r}; expected one of: {', '.join(table.index)}"
            )
        for key, value in values.items():
            if key not in table.columns:
                raise ValueError(
                    f"unknown district parameter {key!r}; expected one of: "
                    + ", ".join(table.columns)
                )
            table.loc[district, key] = float(value)
    if (table["staff"] <= 0).any() or not table[["online", "payment_failure"]].stack().between(
        0, 1
    ).all():
        raise ValueError("staff must be positive, and online and payment_failure from 0 to 1")
    return table.astype(float)


def _lognormal(rng, median: np.ndarray, sigma: float) -> np.ndarray:
    return median * np.exp(rng.normal(0.0, sigma, len(median)))


def event_log(
    country: str = "TJK",
    n_cases: int = 10_000,
    *,
    seed: int = 0,
    start: str = "2024-01-01",
    as_of: str = "2024-12-31",
    districts: Mapping[str, Mapping[str, float]] | None = None,
    ecosystem=None,
) -> EventLog:
    """Draw a SYNTHETIC MIS event log of one year, with the true eligibility of every case.

    Parameters
    ----------
    country : {"TJK", "LAO"}
        The districts (and amounts) of Tajikistan or Lao PDR; the numbers are illustrative.
    n_cases : int, default 10,000
        Cases of the intended population reached by outreach (10 to 5,000,000). A case
        makes about 8 events on average, so a million cases make some millions of events.
    seed : int, default 0
        Same seed, same log.
    start, as_of : str
        The first day of the year drawn, and the day the log is extracted (later events
        are not recorded).
    districts : mapping, optional
        Changes to the district profiles of ``events.yaml``, for example
        ``{"Rasht": {"staff": 5.0, "online": 0.5}}`` (what if Rasht had more staff and an
        online channel?).
    ecosystem : RegistryEcosystem, optional
        A :func:`registry_ecosystem` of the same country: the cases are then the heads of
        its households (a sample of ``n_cases`` of them, at most all), with their
        ``person_id`` and district, so that the same people apply.

    Returns
    -------
    EventLog
        ``events``, ``truth``, ``costs`` and ``parameters`` (see :class:`EventLog`).

    Examples
    --------
    >>> log = event_log("TJK", n_cases=1_000, seed=1)
    >>> list(log.events.columns[:6])
    ['case_id', 'person_id', 'district', 'programme', 'activity', 'timestamp']
    >>> bool(log.events["synthetic"].all()), log.events.attrs["synthetic"]
    (True, True)
    >>> log.truth["eligible"].dtype
    dtype('bool')
    >>> event_log("TJK", n_cases=1_000, seed=1).events.equals(log.events)
    True
    """
    _check(country, n_cases, seed)
    p = _parameters()
    profile = _profiles(country, districts)
    rng = np.random.default_rng([int(seed), 11])
    n = int(n_cases)
    t0 = pd.Timestamp(start).to_datetime64().astype("datetime64[s]").astype(np.int64)
    end = (pd.Timestamp(as_of) + pd.Timedelta(days=1)).to_datetime64()
    t_end = end.astype("datetime64[s]").astype(np.int64)
    names = np.array(profile.index, dtype=object)
    # -- who the cases are --------------------------------------------------------------
    if ecosystem is not None:
        population = ecosystem.population
        if ecosystem.parameters.get("country") != country:
            raise ValueError("the ecosystem must be of the same country as the event log")
        heads = population[population["group_head"].to_numpy(bool)]
        if n > len(heads):
            raise ValueError(
                f"n_cases ({n:,}) is more than the {len(heads):,} household heads of the ecosystem"
            )
        chosen = np.sort(rng.choice(len(heads), n, replace=False))
        person = heads["person_id"].to_numpy(np.int64)[chosen]
        district = pd.Index(names).get_indexer(heads["district"].to_numpy(object)[chosen])
        if (district < 0).any():
            raise ValueError("the ecosystem holds districts that are not in events.yaml")
    else:
        person = np.arange(1, n + 1, dtype=np.int64) + 1_000_000
        district = rng.integers(0, len(names), n)
    programmes = list(p["programmes"])
    weights = np.array([p["programmes"][k] for k in programmes], dtype=float)
    programme = rng.choice(len(programmes), n, p=weights / weights.sum())
    pop = p["population"]
    staff = profile["staff"].to_numpy()[district]
    load = p["reference_staff"] / staff
    online_share = profile["online"].to_numpy()[district]
    backlog = profile["backlog"].to_numpy()[district]
    failure = profile["payment_failure"].to_numpy()[district]
    eligible = rng.random(n) < pop["eligible_share"]
    # -- the chain ----------------------------------------------------------------------
    stages = p["stages"]

    def stage(name: str, online: np.ndarray, scale: np.ndarray | float = 1.0) -> np.ndarray:
        s = stages[name]
        median = np.where(online, s["online"], s["office"]) * scale
        return (_lognormal(rng, median, s["sigma"]) * _DAY).astype(np.int64)

    hour = (8 + 9 * rng.random(n)) * 3600
    t_outreach = t0 + rng.integers(0, 300, n) * _DAY + hour.astype(np.int64)
    applied = rng.random(n) < np.where(
        eligible, pop["apply_if_eligible"], pop["apply_if_not_eligible"]
    )
    online = rng.random(n) < online_share
    t_apply = t_outreach + stage("outreach_to_application", online)
    assessed = applied & (rng.random(n) >= pop["drop_before_assessment"])
    wait = (backlog * rng.random(n) * _DAY).astype(np.int64)
    t_assess = t_apply + stage("application_to_assessment", online, load) + wait
    found = assessed & (
        rng.random(n)
        < np.where(
            eligible, pop["found_eligible_if_eligible"], pop["found_eligible_if_not_eligible"]
        )
    )
    t_decide = t_assess + stage("assessment_to_decision", online, load)
    enrolled = found & (rng.random(n) < pop["enrol_if_found_eligible"])
    t_enrol = t_decide + stage("decision_to_enrolment", online, load)
    t_notify = np.where(enrolled, t_enrol, t_decide) + stage("enrolment_to_notification", online)
    # what was recorded by as_of
    applied &= t_apply < t_end
    assessed &= applied & (t_assess < t_end)
    decided = assessed & (t_decide < t_end)
    found &= decided
    enrolled &= found & (t_enrol < t_end)
    notified = decided & (t_notify < t_end)
    # -- payments -----------------------------------------------------------------------
    pay = p["payments"]
    months = np.datetime64(pd.Timestamp(start).strftime("%Y-%m"), "M")
    month_of = lambda seconds: (  # noqa: E731
        seconds.astype("datetime64[s]").astype("datetime64[M]") - months
    ).astype(np.int64)
    last_month = int(month_of(np.array([t_end - 1]))[0])
    first_cycle = month_of(t_enrol) + 1
    # exit: geometric number of months after enrolment
    stay = rng.geometric(pay["exit_per_month"], n)
    exit_month = first_cycle - 1 + stay
    t_exit = (
        (months + exit_month.astype("timedelta64[M]")).astype("datetime64[s]").astype(np.int64)
        + rng.integers(0, 28, n) * _DAY
        + hour.astype(np.int64)
    )
    exited = enrolled & (t_exit < t_end)
    n_cycles = np.where(
        enrolled, np.clip(np.minimum(last_month, exit_month - 1) - first_cycle + 1, 0, None), 0
    )
    payer = np.repeat(np.arange(n), n_cycles)
    offset = np.arange(len(payer)) - np.repeat(np.cumsum(n_cycles) - n_cycles, n_cycles)
    cycle_month = first_cycle[payer] + offset
    t_scheduled = (months + cycle_month.astype("timedelta64[M]")).astype("datetime64[s]").astype(
        np.int64
    ) + ((pay["scheduled_day"] - 1) * _DAY + 9 * 3600)
    k = len(payer)
    failed = rng.random(k) < failure[payer]
    late = ~failed & (rng.random(k) < np.minimum((1 - pay["on_time"]) * load[payer], 0.9))
    delay = np.where(
        late,
        (1 + rng.exponential(pay["late_days_mean"], k)) * _DAY,
        -rng.random(k) * 3 * _DAY,
    ).astype(np.int64)
    t_paid = t_scheduled + delay
    keep_paid = ~failed & (t_paid < t_end)
    t_failed = t_scheduled + (rng.random(k) * 2 * _DAY).astype(np.int64)
    keep_failed = failed & (t_failed < t_end)
    t_returned = t_paid + ((5 + 25 * rng.random(k)) * _DAY).astype(np.int64)
    returned = keep_paid & (rng.random(k) < pay["returned"]) & (t_returned < t_end)
    monthly = {
        name: rule["monthly_amount"][country] for name, rule in _registry_programmes().items()
    }
    amount_of = np.array([monthly[name] for name in programmes], dtype=float)[programme]
    # -- grievances ---------------------------------------------------------------------
    g = p["grievances"]
    categories = list(g["categories"])
    cat_weights = np.array([g["categories"][c] for c in categories], dtype=float)
    category = rng.choice(len(categories), n, p=cat_weights / cat_weights.sum())
    t_open = np.full(n, np.iinfo(np.int64).max)
    # after a failed payment (the first failure of the case)
    first_fail = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first_fail, payer[keep_failed], t_failed[keep_failed])
    after_failure = (first_fail < t_end) & (rng.random(n) < g["failed_payment_rate"])
    wait = (rng.random(n) * 10 * _DAY).astype(np.int64)
    t_open = np.where(after_failure, first_fail + wait, t_open)
    category = np.where(after_failure, categories.index("payment_delay"), category)
    # appeals of a not-eligible decision
    appeal = decided & ~found & notified & (rng.random(n) < g["appeal_rate"])
    t_open = np.where(appeal, t_notify + ((1 + 19 * rng.random(n)) * _DAY).astype(np.int64), t_open)
    category = np.where(appeal, categories.index("exclusion_appeal"), category)
    # other grievances of beneficiaries
    other = enrolled & ~after_failure & (rng.random(n) < g["beneficiary_rate"])
    span = np.maximum(t_end - t_enrol, _DAY)
    t_other = t_enrol + (rng.random(n) * span).astype(np.int64)
    t_open = np.where(other, t_other, t_open)
    category = np.where(other & (category == categories.index("exclusion_appeal")), 0, category)
    opened = t_open < t_end
    escalated = opened & (rng.random(n) < g["escalated"])
    duration = stage("grievance_resolution", online, load) * np.where(escalated, 2, 1)
    t_escalate = t_open + duration // 2
    t_resolve = t_open + duration
    escalated &= t_escalate < t_end
    resolved = opened & (rng.random(n) >= g["unresolved"]) & (t_resolve < t_end)
    # -- the events -----------------------------------------------------------------------
    activities = list(p["activities"])
    parts = []

    def add(who, times, activity, cycle=None, amount=None, category_codes=None, channel=None):
        who = np.asarray(who)
        parts.append(
            (
                who,
                np.asarray(times, dtype=np.int64),
                np.full(len(who), activities.index(activity), dtype=np.int8),
                np.zeros(len(who), np.int16) if cycle is None else cycle.astype(np.int16),
                np.full(len(who), np.nan) if amount is None else amount,
                np.full(len(who), -1, np.int8) if category_codes is None else category_codes,
                np.where(online[who], 1, 0).astype(np.int8) if channel is None else channel,
            )
        )

    everyone = np.arange(n)
    add(everyone, t_outreach, "outreach", channel=np.zeros(n, np.int8))
    for mask, times, activity in (
        (applied, t_apply, "application"),
        (assessed, t_assess, "assessment"),
        (found, t_decide, "decision_eligible"),
        (decided & ~found, t_decide, "decision_not_eligible"),
        (enrolled, t_enrol, "enrolment"),
        (notified, t_notify, "notification"),
        (exited, t_exit, "exit"),
    ):
        add(everyone[mask], times[mask], activity)
    provider = np.full(k, 2, np.int8)
    cycles = cycle_month + 1
    for mask, times, activity in (
        (np.ones(k, bool) & (t_scheduled < t_end), t_scheduled, "payment_scheduled"),
        (keep_paid, t_paid, "payment_paid"),
        (keep_failed, t_failed, "payment_failed"),
        (returned, t_returned, "payment_returned"),
    ):
        add(
            payer[mask],
            times[mask],
            activity,
            cycle=cycles[mask],
            amount=np.full(int(mask.sum()), 1.0) * amount_of[payer[mask]],
            channel=provider[mask],
        )
    for mask, times, activity in (
        (opened, t_open, "grievance_opened"),
        (escalated, t_escalate, "grievance_escalated"),
        (resolved, t_resolve, "grievance_resolved"),
    ):
        add(
            everyone[mask],
            times[mask],
            activity,
            category_codes=category[mask].astype(np.int8),
        )
    case = np.concatenate([x[0] for x in parts])
    times = np.concatenate([x[1] for x in parts])
    act = np.concatenate([x[2] for x in parts])
    # sort by case, time and activity: one key when it fits in 62 bits (twice as fast)
    span_bits = int(max(int(times.max() - t0), 1)).bit_length()
    if int(n).bit_length() + span_bits + 4 <= 62 and times.min() >= t0:
        key = (case.astype(np.int64) << (span_bits + 4)) | ((times - t0) << 4) | act
        order = np.argsort(key, kind="stable")
    else:
        order = np.lexsort((act, times, case))
    case, times, act = case[order], times[order], act[order]
    cycle = np.concatenate([x[3] for x in parts])[order]
    amount = np.concatenate([x[4] for x in parts])[order]
    cat = np.concatenate([x[5] for x in parts])[order]
    chan = np.concatenate([x[6] for x in parts])[order]

    def categorical(codes, labels):
        return pd.Categorical.from_codes(codes, categories=labels)

    events = pd.DataFrame(
        {
            "case_id": case.astype(np.int64) + 1,
            "person_id": person[case],
            "district": categorical(district[case], list(names)),
            "programme": categorical(programme[case], programmes),
            "activity": categorical(act, activities),
            "timestamp": times.astype("datetime64[s]").astype("datetime64[ns]"),
            "channel": categorical(chan, ["office", "online", "provider"]),
            "cycle": cycle,
            "category": categorical(cat, categories),
            "amount": amount,
            "synthetic": True,
        }
    )
    truth = pd.DataFrame(
        {
            "case_id": np.arange(1, n + 1, dtype=np.int64),
            "person_id": person,
            "district": categorical(district, list(names)),
            "programme": categorical(programme, programmes),
            "eligible": eligible,
            "applied": applied,
            "found_eligible": found,
            "enrolled": enrolled,
            "synthetic": True,
        }
    )
    applications = np.bincount(district[applied], minlength=len(names))
    caseworkers = np.round(profile["staff"].to_numpy() * applications / 1000, 1)
    costs = pd.DataFrame(
        {
            "district": list(names),
            "staff": caseworkers,
            "cost": caseworkers * p["cost_per_staff"][country],
            "synthetic": True,
        }
    )
    for name, frame in (("events", events), ("truth", truth), ("costs", costs)):
        frame.attrs["synthetic"] = True
        frame.attrs["table"] = name
    parameters = {
        "country": country,
        "n_cases": n,
        "seed": int(seed),
        "start": str(pd.Timestamp(start).date()),
        "as_of": str(pd.Timestamp(as_of).date()),
        "districts": profile.to_dict(orient="index"),
        "linked_to_ecosystem": ecosystem is not None,
    }
    return EventLog(events=events, truth=truth, costs=costs, parameters=parameters)


def _registry_programmes() -> dict:
    from socialprotection.synthetic._registries import REGISTRY_PROGRAMMES

    return REGISTRY_PROGRAMMES
