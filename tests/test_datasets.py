import shutil

import pandas as pd
import pytest
import yaml

import socialprotection as sp
from socialprotection import datasets


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A writable copy of the bundled data, used in place of the real folder."""
    copy = tmp_path / "data"
    shutil.copytree(sp.data_dir(), copy)
    monkeypatch.setattr(datasets, "data_dir", lambda: copy)
    datasets._package.cache_clear()
    yield copy
    datasets._package.cache_clear()


def test_every_declared_dataset_loads_with_schema_types():
    package = yaml.safe_load((sp.data_dir() / "datapackage.yaml").read_text())
    package["resources"] = [r for r in package["resources"] if r.get("type", "table") == "table"]
    assert sp.list_datasets() == sorted(r["name"] for r in package["resources"])
    expected = {"integer": "Int64", "number": "float64", "string": "string"}
    for resource in package["resources"]:
        frame = sp.load(resource["name"])
        assert len(frame) > 0
        for field in resource["schema"]["fields"]:
            assert str(frame[field["name"]].dtype) == expected[field["type"]], field["name"]


def test_the_issue_datasets_are_bundled():
    names = set(sp.list_datasets())
    for required in [
        "sdg131_headline_all_countries",
        "sdg_social_protection_poverty_labour",
        "pop_age_sex_wpp2022_projections",
        "wpp2024_annual_indicators",
        "wdi_macro_poverty_labour",
        "statutory_pension_age",
        # issue 12 (financing social protection)
        "sdg_budget_execution_revenue_remittance_cost",
        "sdg_budget_execution_revenue_remittance_cost_metadata",
        "wpp2024_pop_age5_sex_1july_5y",
        "ims2019_emigrant_stock_by_destination",
    ]:
        assert required in names


def test_unknown_name_lists_the_available_names():
    with pytest.raises(ValueError) as error:
        sp.load("sdg131_headline")
    message = str(error.value)
    assert "unknown dataset 'sdg131_headline'" in message
    assert "Did you mean 'sdg131_headline_all_countries'" in message
    for name in sp.list_datasets():
        assert name in message


def test_missing_values_are_kept_and_counted():
    frame = sp.load("sdg131_headline_all_countries")
    assert frame.attrs["missing"] == {"Code": int(frame["Code"].isna().sum())}
    assert frame.attrs["missing"]["Code"] > 0
    raw = pd.read_csv(sp.data_dir() / "sdg131_headline_all_countries.csv")
    assert len(frame) == len(raw)


def test_namibia_code_is_not_a_missing_value():
    frame = sp.load("sdg131_headline_all_countries")
    namibia = frame[frame["Entity"] == "Namibia"]
    assert not namibia.empty and set(namibia["Code"]) == {"NAM"}
    # and a value "NA" would stay text, not become missing: checked on a hand-made file below


def test_changed_file_fails_the_checksum(data_copy):
    path = data_copy / "countries.csv"
    path.write_text(path.read_text().replace("762", "763"))
    with pytest.raises(sp.DataIntegrityError, match="checksum of .*countries.csv does not match"):
        sp.load("countries")


def _rewrite(data_copy, name, text):
    """Replace a data file and its checksum, as tools/update_datapackage.py would."""
    import hashlib

    path = data_copy / f"{name}.csv"
    path.write_text(text)
    package_path = data_copy / "datapackage.yaml"
    package = yaml.safe_load(package_path.read_text())
    for resource in package["resources"]:
        if resource["name"] == name:
            resource["hash"] = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    package_path.write_text(yaml.safe_dump(package, sort_keys=False))
    datasets._package.cache_clear()


def test_bad_value_names_column_line_and_value(data_copy):
    text = (data_copy / "countries.csv").read_text().splitlines()
    text[3] = text[3].replace(text[3].split(",")[1], "seven", 1)
    _rewrite(data_copy, "countries", "\n".join(text) + "\n")
    with pytest.raises(sp.DataIntegrityError, match=r"column 'un_m49', line 4: value 'seven'"):
        sp.load("countries")


def test_wrong_header_is_refused(data_copy):
    text = (data_copy / "countries.csv").read_text().replace("iso3,un_m49", "un_m49,iso3", 1)
    _rewrite(data_copy, "countries", text)
    with pytest.raises(sp.DataIntegrityError, match="do not match the schema"):
        sp.load("countries")


def test_text_na_stays_text(data_copy):
    text = (data_copy / "countries.csv").read_text().splitlines()
    fields = text[1].split(",")
    fields[0] = "NA"
    text[1] = ",".join(fields)
    _rewrite(data_copy, "countries", "\n".join(text) + "\n")
    assert sp.load("countries")["iso3"].iloc[0] == "NA"


def test_citation_has_publisher_licence_year_and_source():
    cite = sp.citation("pop_age_sex_wpp2022_projections")
    assert cite.publisher == "UN DESA Population Division"
    assert "3.0 IGO" in cite.licence
    assert cite.year == 2022
    assert "PPgp/wpp2022extra @ a1411c71ed80c869e91e5761d5876d2508e5007c" in cite.source
    assert str(cite).startswith(cite.text)
    assert sp.load("countries").attrs["citation"] == sp.citation("countries").text
