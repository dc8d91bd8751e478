"""Load the real, published datasets that ship with the book.

The files and their descriptions live in one Frictionless Data Package,
``datapackage.yaml``, written by hand: for each file its schema (column names,
types, units), its source (repository, path and commit), its original publisher,
its licence and its sha256 checksum.
:func:`load` checks the checksum before it reads a file, so a damaged or edited
file is never used by mistake.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

DESCRIPTOR = "datapackage.yaml"

__all__ = ["Citation", "DataIntegrityError", "citation", "data_dir", "list_datasets", "load"]


class DataIntegrityError(ValueError):
    """A bundled file does not match the checksum or schema in ``datapackage.yaml``."""


@dataclass(frozen=True)
class Citation:
    """How to cite one bundled dataset.

    Attributes
    ----------
    name : str
        The dataset name, as given to :func:`load`.
    title : str
        What the dataset is.
    publisher : str
        The original publisher (not the repository that copied it).
    year : int
        Year of the publication or data vintage.
    licence : str
        The licence of the data, as its publisher states it.
    source : str
        The repository, commit and file(s) the file was copied from.
    text : str
        A ready-made reference line.
    """

    name: str
    title: str
    publisher: str
    year: int
    licence: str
    source: str
    text: str

    def __str__(self) -> str:
        return f"{self.text} Source: {self.source}."


def data_dir() -> Path:
    """Return the folder that holds ``datapackage.yaml`` and the data files.

    An installed wheel carries the data inside the package (``socialprotection/data``);
    a working copy of the repository uses its ``datasets/`` folder.

    Examples
    --------
    >>> (data_dir() / DESCRIPTOR).exists()
    True
    """
    packaged = Path(str(resources.files("socialprotection"))) / "data"
    if (packaged / DESCRIPTOR).exists():
        return packaged
    repository = Path(__file__).resolve().parents[2] / "datasets"
    if (repository / DESCRIPTOR).exists():
        return repository
    raise FileNotFoundError(
        f"{DESCRIPTOR} not found in {packaged} nor in {repository}; "
        "reinstall the package or run from a full copy of the repository"
    )


@functools.cache
def _package(folder: Path) -> dict:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(folder / DESCRIPTOR, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)


def _resources() -> dict[str, dict]:
    # The tables; the documents of the package (the DCI exchange standard in dci/, type
    # "file") are read by socialprotection.interop.
    return {
        res["name"]: res
        for res in _package(data_dir())["resources"]
        if res.get("type", "table") == "table"
    }


def list_datasets() -> list[str]:
    """Return the names of the bundled datasets (the tables), in alphabetical order.

    Examples
    --------
    >>> "sdg131_headline_all_countries" in list_datasets()
    True
    """
    return sorted(_resources())


def _resource(name: str) -> dict:
    available = _resources()
    if name not in available:
        close = difflib.get_close_matches(name, available, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise ValueError(
            f"unknown dataset '{name}'.{hint} Available datasets: {', '.join(sorted(available))}"
        )
    return available[name]


@functools.cache
def _sha256(path: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _verified_path(resource: dict) -> Path:
    path = data_dir() / resource["path"]
    if not path.exists():
        raise FileNotFoundError(f"dataset '{resource['name']}': file {path} is missing")
    algorithm, _, expected = resource["hash"].partition(":")
    if algorithm != "sha256":
        raise DataIntegrityError(f"dataset '{resource['name']}': expected a sha256 hash")
    stat = path.stat()
    actual = _sha256(path, stat.st_size, stat.st_mtime_ns)
    if actual != expected:
        raise DataIntegrityError(
            f"dataset '{resource['name']}': the checksum of {path} does not match "
            f"{DESCRIPTOR} (sha256 {actual}, expected {expected}). The file was changed or "
            "damaged: restore it, or if the change is intended run make data "
            "(python tools/update_datapackage.py)."
        )
    return path


_NUMERIC = {"integer", "number", "year"}


def _convert(frame: pd.DataFrame, field: dict, path: Path) -> pd.Series:
    name, kind = field["name"], field.get("type", "string")
    text = frame[name]
    if kind not in _NUMERIC:
        return text.astype("string")
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() & text.notna()
    if kind in {"integer", "year"}:
        bad |= values.notna() & (values % 1 != 0)
    if bad.any():
        row = int(bad.idxmax())
        raise DataIntegrityError(
            f"{path.name}, column '{name}', line {row + 2}: value {text[row]!r} "
            f"is not a valid {kind}"
        )
    return values.astype("Int64") if kind in {"integer", "year"} else values.astype("float64")


def load(name: str) -> pd.DataFrame:
    """Load one bundled dataset as a DataFrame with the column types of its schema.

    The file's sha256 checksum is checked first.
    Integer columns become the nullable ``Int64`` type, numbers ``float64`` and
    text the pandas ``string`` type.
    Empty cells are missing values (``<NA>`` or ``NaN``): they are kept, never
    dropped, and counted per column in ``frame.attrs["missing"]``.

    Parameters
    ----------
    name : str
        A name from :func:`list_datasets`.

    Returns
    -------
    pandas.DataFrame
        The data; ``frame.attrs`` also holds ``name``, ``citation`` and ``missing``.

    Raises
    ------
    ValueError
        If ``name`` is unknown; the message lists the available names.
    DataIntegrityError
        If the file's checksum, header or values do not match ``datapackage.yaml``.

    Examples
    --------
    >>> countries = load("countries")
    >>> int(countries.loc[countries["iso3"] == "TJK", "un_m49"].item())
    762
    >>> countries["un_m49"].dtype
    Int64Dtype()
    """
    resource = _resource(name)
    path = _verified_path(resource)
    schema = resource["schema"]
    fields = schema["fields"]
    missing_values = schema.get("missingValues", [""])
    frame = pd.read_csv(
        path,
        dtype=str,
        keep_default_na=False,  # "NA" is Namibia's code, not a missing value
        na_values=missing_values,
        encoding=resource.get("encoding", "utf-8"),
    )
    expected = [f["name"] for f in fields]
    if list(frame.columns) != expected:
        raise DataIntegrityError(
            f"{path.name}: columns {list(frame.columns)} do not match the schema {expected}"
        )
    for field in fields:
        frame[field["name"]] = _convert(frame, field, path)
    frame.attrs["name"] = name
    frame.attrs["citation"] = citation(name).text
    frame.attrs["missing"] = {c: int(n) for c, n in frame.isna().sum().items() if n}
    return frame


def citation(name: str) -> Citation:
    """Return how to cite a bundled dataset: publisher, title, year, licence and source.

    Examples
    --------
    >>> cite = citation("countries")
    >>> cite.publisher
    'UN DESA Population Division'
    """
    resource = _resource(name)
    licences = "; ".join(
        lic.get("title") or lic.get("name", "") for lic in resource.get("licenses", [])
    )
    sources = []
    for source in resource.get("sources", []):
        where = source.get("repository") or source.get("path", "")
        if source.get("commit"):
            where += f" @ {source['commit']}"
        if source.get("files"):
            where += f" ({', '.join(source['files'])})"
        sources.append(where)
    return Citation(
        name=name,
        title=resource.get("title", name),
        publisher=resource.get("publisher", ""),
        year=int(resource.get("year", 0)),
        licence=licences,
        source="; ".join(sources),
        text=resource.get("citation", ""),
    )
