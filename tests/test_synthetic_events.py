"""The synthetic MIS event log: seeded, labelled, consistent, and fast."""

from __future__ import annotations

import pandas as pd
import pytest

import socialprotection as sp
from socialprotection.synthetic import EVENT_ACTIVITIES, event_log, event_parameters


@pytest.fixture(scope="module")
def log():
    return event_log("TJK", n_cases=5_000, seed=2)


def test_same_seed_same_log(log):
    again = event_log("TJK", n_cases=5_000, seed=2)
    pd.testing.assert_frame_equal(log.events, again.events)
    pd.testing.assert_frame_equal(log.truth, again.truth)
    other = event_log("TJK", n_cases=5_000, seed=3)
    assert not other.events["timestamp"].equals(log.events["timestamp"])


def test_labelled_synthetic(log):
    for frame in (log.events, log.truth, log.costs):
        assert frame["synthetic"].all()
        assert frame.attrs["synthetic"] is True


def test_columns_and_vocabulary(log):
    events = log.events
    assert list(events.columns) == [
        "case_id",
        "person_id",
        "district",
        "programme",
        "activity",
        "timestamp",
        "channel",
        "cycle",
        "category",
        "amount",
        "synthetic",
    ]
    assert set(events["activity"].unique()) <= set(EVENT_ACTIVITIES)
    assert tuple(EVENT_ACTIVITIES) == sp.DELIVERY_ACTIVITIES
    assert set(events["district"].cat.categories) == set(event_parameters()["districts"]["TJK"])
    # sorted by case and time; the log is clean
    assert (events["case_id"].diff().fillna(0) >= 0).all()
    assert sp.check_event_log(events, by="district").empty
    payments = events["activity"].astype(str).str.startswith("payment")
    assert (events.loc[payments, "cycle"] > 0).all() and (events.loc[~payments, "cycle"] == 0).all()
    assert events.loc[payments, "amount"].notna().all()
    grievance = events["activity"].astype(str).str.startswith("grievance")
    assert events.loc[grievance, "category"].notna().all()
    assert events.loc[~grievance, "category"].isna().all()
    assert events["timestamp"].max() < pd.Timestamp("2025-01-01")


def test_truth_matches_the_events(log):
    enrolled = set(log.events.loc[log.events["activity"] == "enrolment", "case_id"])
    assert enrolled == set(log.truth.loc[log.truth["enrolled"], "case_id"])
    assert log.truth["eligible"].dtype == bool
    # the assessment makes both errors
    errors = sp.targeting_errors(log.events, log.truth).iloc[0]
    assert 0 < errors["inclusion_error"] < 0.5
    assert 0 < errors["exclusion_error"] < 1


def test_districts_differ_as_their_profiles(log):
    times = sp.processing_times(
        log.events, "application", ["decision_eligible", "decision_not_eligible"], by="district"
    ).set_index("district")
    staff = pd.Series({k: v["staff"] for k, v in event_parameters()["districts"]["TJK"].items()})
    assert times["median_days"].idxmax() == staff.idxmin()
    assert times["median_days"].corr(staff.reindex(times.index)) < -0.8


def test_more_staff_shortens_waiting():
    base = event_log("TJK", n_cases=5_000, seed=4)
    more = event_log("TJK", n_cases=5_000, seed=4, districts={"Rasht": {"staff": 6.0}})
    steps = ("application", ["decision_eligible", "decision_not_eligible"])
    a = sp.processing_times(base.events, *steps, by="district").set_index("district")
    b = sp.processing_times(more.events, *steps, by="district").set_index("district")
    assert b.loc["Rasht", "median_days"] < a.loc["Rasht", "median_days"] / 1.5


def test_linked_to_the_registry_ecosystem():
    eco = sp.registry_ecosystem("TJK", n_persons=3_000, seed=1)
    made = event_log("TJK", n_cases=300, seed=1, ecosystem=eco)
    population = eco.population.set_index("person_id")
    persons = made.truth["person_id"]
    assert persons.isin(population.index).all()
    assert population.loc[persons, "group_head"].all()
    assert (
        population.loc[persons, "district"].to_numpy() == made.truth["district"].astype(str)
    ).all()


def test_bad_arguments():
    with pytest.raises(ValueError, match="country"):
        event_log("FRA")
    with pytest.raises(ValueError, match="n_cases"):
        event_log("TJK", n_cases=1)
    with pytest.raises(TypeError, match="n_cases"):
        event_log("TJK", n_cases=10.5)
    with pytest.raises(ValueError, match="unknown district 'Paris'"):
        event_log("TJK", n_cases=100, districts={"Paris": {"staff": 1}})
    with pytest.raises(ValueError, match="unknown district parameter"):
        event_log("TJK", n_cases=100, districts={"Rasht": {"cats": 1}})


def test_lao_log():
    made = event_log("LAO", n_cases=500, seed=1)
    assert "Pakse" in set(made.events["district"].astype(str))
    assert made.events.loc[made.events["activity"] == "payment_paid", "amount"].min() >= 100_000


def test_a_million_events():
    # The speed is measured in benchmarks/delivery_indicators.py, not here.
    made = event_log("TJK", n_cases=200_000, seed=0)
    assert len(made.events) > 1_000_000
    assert made.events["timestamp"].notna().all()
