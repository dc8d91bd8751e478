"""The bundled DCI extract, the record mapping, the in-process search and message validation."""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest
import yaml
from openapi_spec_validator import validate as validate_spec

import socialprotection as sp
from socialprotection import interop as ip


@pytest.fixture(scope="module")
def registry() -> pd.DataFrame:
    return sp.registry_ecosystem("TJK", n_persons=2_000, seed=3).social_registry


@pytest.fixture(scope="module")
def answer(registry) -> dict:
    request = ip.search_request([("poverty_score", "le", 20), ("district", "in", ["Rasht"])])
    return ip.answer_search(request, registry)


# ---- the bundled extract --------------------------------------------------------------------


def test_extract_is_valid_openapi():
    validate_spec(ip.dci_spec())  # raises if invalid


def test_extract_keeps_its_licence_and_notice_lists_every_repair():
    folder = ip.dci_folder()
    assert "Apache License" in (folder / "LICENSE").read_text()
    notice = (folder / "NOTICE").read_text()
    assert "b4816e1ecf415a5ac6635085fec0656160d285ea" in notice
    assert "DCI Social Protection License" in notice  # the licence ambiguity is recorded
    for repair in ("info.version", "PointerToNowhere", "anyOf", "TxnStatusRequest", "example"):
        assert repair in notice, repair
    # the extract repeats where it comes from
    assert "b4816e1ecf415a5ac6635085fec0656160d285ea" in ip.dci_spec()["info"]["description"]


def test_extract_is_what_the_recorded_transformation_makes(tmp_path):
    """Upstream is not bundled; the repairs of the transformation are those of NOTICE."""
    from socialprotection.interop._extract_dci import extract

    spec = ip.dci_spec()
    # run the transformation on the extract itself: nothing is left to repair except the
    # reduction, so the paths and schemas are unchanged
    spec["components"]["schemas"]["TxnStatusRequest"] = {
        "properties": {"txnstatus_request": {"properties": {}}}
    }
    again, repairs = extract(spec)
    assert again["paths"] == ip.dci_spec()["paths"]
    assert all("oneOf" not in r and "info.version" not in r for r in repairs)


def test_record_schema_says_it_is_not_official():
    schema = ip.record_schema()
    assert "derived from the DCI vocabulary, not an official schema" in schema["title"]


def test_data_package_describes_the_documents(root):
    package = yaml.safe_load((root / "datasets" / "datapackage.yaml").read_text())
    paths = {r["path"]: r for r in package["resources"]}
    for name in ("dci/social_api_extract.json", "dci/registry_records.schema.json"):
        assert paths[name]["licenses"][0]["name"] == "Apache-2.0"
        assert paths[name]["sources"]
    samples = {p for p in paths if p.startswith("dci/samples/")}
    assert samples == {f"dci/samples/{n}" for n in ip.official_samples()}


# ---- records: registry rows to DCI and back ---------------------------------------------------


def test_round_trip_gives_back_every_row(registry):
    groups = ip.to_dci(registry)
    back = ip.from_dci(groups)
    mine = registry[ip.REGISTRY_COLUMNS].set_index("identifier").sort_index()
    pd.testing.assert_frame_equal(back.set_index("identifier").sort_index(), mine)
    assert registry["national_id"].isna().any()  # missing IDs make the trip too


def test_round_trip_through_json_text(registry):
    text = json.dumps(ip.to_dci(registry), ensure_ascii=False)
    back = ip.from_dci(json.loads(text))
    assert len(back) == len(registry)


def test_every_group_record_is_valid_against_the_book_schema(registry):
    for group in ip.to_dci(registry):
        assert ip.validate(group, "Group").empty


def test_hand_worked_group():
    registry = pd.DataFrame(
        {
            "identifier": ["S1", "S2"],
            "given_name": ["Ниссо", "Умед"],
            "family_name": ["Саидова", "Саидов"],
            "sex": ["female", "male"],
            "birth_date": ["1980-02-01", "2010-05-06"],
            "district": ["Rasht", "Rasht"],
            "national_id": ["1234567897", None],
            "group_identifier": ["H1", "H1"],
            "group_head": [True, False],
            "poverty_score": [12.0, 12.0],
            "registration_date": ["2023-05-01", "2023-05-01"],
        }
    )
    (group,) = ip.to_dci(registry)
    assert group["group_size"] == 2
    assert group["group_identifier"] == [{"identifier_type": "SR_GROUP", "identifier_value": "H1"}]
    head = group["group_head_info"]["demographic_info"]
    assert head["name"] == {"given_name": "Ниссо", "surname": "Саидова"}
    assert head["identifier"][0]["identifier_value"] == "1234567897"
    assert group["member_list"][1]["demographic_info"]["identifier"] == []
    assert group["geographical_location"] == "Rasht"


def test_two_poverty_scores_in_one_household_are_refused():
    registry = pd.DataFrame(
        {
            "identifier": ["S1", "S2"],
            "given_name": ["A", "B"],
            "family_name": ["C", "D"],
            "sex": ["female", "male"],
            "birth_date": ["1980-02-01", "2010-05-06"],
            "district": ["Rasht", "Rasht"],
            "national_id": [None, None],
            "group_identifier": ["H1", "H1"],
            "group_head": [True, False],
            "poverty_score": [12.0, 13.0],
            "registration_date": ["2023-05-01", "2023-05-01"],
        }
    )
    with pytest.raises(ValueError, match=r"'poverty_score' differs within household 'H1'"):
        ip.to_dci(registry)


def test_from_dci_names_the_incomplete_record():
    with pytest.raises(ValueError, match="group record 0 lacks the field 'member_list'"):
        ip.from_dci([{"group_identifier": [], "poverty_score": 1, "registration_date": "x"}])


# ---- search ------------------------------------------------------------------------------------


def test_search_request_is_valid():
    request = ip.search_request([("poverty_score", "lt", 30), ("group_size", "ge", 3)])
    assert ip.validate(request, "search").empty


def test_answer_is_valid_and_matches_an_independent_filter(registry, answer):
    assert ip.validate(answer, "on-search").empty
    response = answer["message"]["search_response"][0]
    found = {g["group_identifier"][0]["identifier_value"] for g in response["data"]["reg_records"]}
    heads = registry[registry["group_head"]].drop_duplicates("group_identifier")
    expected = set(
        heads.loc[
            (heads["poverty_score"] <= 20) & (heads["district"] == "Rasht"), "group_identifier"
        ]
    )
    # a group without a head takes the district of its first member
    assert found == expected
    assert response["pagination"]["total_count"] == len(expected)


def test_an_invalid_request_is_rejected_with_the_reason(registry):
    request = ip.search_request([("poverty_score", "le", 20)])
    request["header"]["total_count"] = "1"
    answer = ip.answer_search(request, registry)
    assert answer["header"]["status"] == "rjct"
    response = answer["message"]["search_response"][0]
    assert response["status_reason_code"] == "rjct.search_criteria.invalid"
    assert "$.header.total_count" in response["status_reason_message"]
    assert ip.validate(answer, "on-search").empty


def test_unknown_attribute_or_operator_is_refused():
    with pytest.raises(ValueError, match="unknown attribute 'income'"):
        ip.search_request([("income", "lt", 3)])
    with pytest.raises(ValueError, match="unknown operator 'like'"):
        ip.search_request([("district", "like", "R%")])


# ---- validation --------------------------------------------------------------------------------


def test_a_broken_message_fails_with_the_right_paths(answer):
    broken = copy.deepcopy(answer)
    broken["header"]["status"] = "done"
    del broken["message"]["correlation_id"]
    broken["message"]["search_response"][0]["pagination"]["total_count"] = "7"
    errors = ip.validate(broken, "on-search")
    assert list(errors["path"]) == [
        "$.header.status",
        "$.message",
        "$.message.search_response[0].pagination.total_count",
    ]
    assert "'correlation_id' is missing" in errors.loc[1, "reason"]
    assert "allowed values" in errors.loc[0, "reason"]
    assert "must be a number" in errors.loc[2, "reason"]


def test_a_broken_record_fails_with_the_right_path(registry):
    group = ip.to_dci(registry)[0]
    group["member_list"][0]["demographic_info"]["sex"] = "F"
    group["group_size"] = "3"
    errors = ip.validate(group, "Group")
    assert list(errors["path"]) == ["$.group_size", "$.member_list[0].demographic_info.sex"]


def test_text_that_is_not_json_is_a_clear_error():
    with pytest.raises(ValueError, match=r"not JSON: .* line 1, column 2; expected a JSON object"):
        ip.validate("{header: 1}", "search")
    with pytest.raises(TypeError, match="expected a dict, or a JSON object as text"):
        ip.validate(42, "search")


def test_an_unknown_schema_name_is_a_clear_error():
    with pytest.raises(ValueError, match=r"unknown schema 'SocialRegistry'; expected one of"):
        ip.validate({}, "SocialRegistry")


def test_validate_never_raises_on_an_invalid_message():
    for message in ({}, [], {"header": 1, "message": []}, '{"header": null}', "[]"):
        for schema in ip.SCHEMAS:
            assert isinstance(ip.validate(message, schema), pd.DataFrame)


def test_json_text_and_dict_give_the_same_errors(answer):
    broken = copy.deepcopy(answer)
    broken["header"]["status"] = "done"
    pd.testing.assert_frame_equal(
        ip.validate(broken, "on-search"), ip.validate(json.dumps(broken), "on-search")
    )


def test_official_samples_fail_as_the_research_notes_found():
    table = ip.conformance()
    assert set(table["sample"]) == set(ip.official_samples())
    assert (table["path"] != "").all(), "every official sample fails"
    request = table[table["sample"] == "processflow1-1req.json"]
    assert "$.header.total_count" in set(request["path"])  # "1" is text, not an integer
    response = table[table["sample"] == "processflow1-1res.json"]
    assert "$.header.status_reason_code" in set(response["path"])  # "" is not in the enum


# ---- the module's quiz works offline, from disk ------------------------------------------------


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright
    from site_probe import CHROMIUM_ARGS

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_module_quiz_works_offline_from_disk(browser, built_site):
    context = browser.new_context()
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((built_site / "modules/interop/quiz.html").as_uri())
    question = page.locator("#quiz-q-iq-hmac")
    feedback = question.locator(".quiz-feedback")
    question.get_by_label("Because HMAC is longer").check()
    question.get_by_role("button", name="Check my answer").click()
    assert feedback.inner_text().startswith("✘ Not yet.")
    question.locator("input").first.check()
    question.get_by_role("button", name="Check my answer").click()
    assert feedback.inner_text().startswith("✔ Correct.")
    page.reload()
    assert feedback.inner_text().startswith("✔ Correct.")
    assert "1 of 10 questions" in page.locator(".quiz-progress").inner_text()
    assert errors == []
    context.close()
