"""Pseudonymisation by keyed hashing, and why an unkeyed hash of a national ID is no protection."""

from __future__ import annotations

import hashlib
import hmac
import itertools

import numpy as np
import pandas as pd

from socialprotection.synthetic import national_id_check_digit

#: The shortest secret key accepted, in bytes (the output size of SHA-256).
MIN_KEY_BYTES = 32
#: The largest enumeration :func:`reidentify` will run (candidate IDs).
MAX_CANDIDATES = 1_000_000


def _key(key: bytes | str) -> bytes:
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes):
        raise TypeError(f"the key must be bytes or text; got {type(key).__name__}")
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(
            f"the key has {len(key)} bytes; expected a secret of at least {MIN_KEY_BYTES} bytes "
            "(for example secrets.token_bytes(32)), kept apart from the data"
        )
    return key


def _values(values: pd.Series, what: str) -> tuple[pd.Series, np.ndarray]:
    if not isinstance(values, pd.Series):
        raise TypeError(f"{what}: expected a pandas Series of text; got {type(values).__name__}")
    name = values.name if values.name is not None else "values"
    if len(values) == 0:
        raise ValueError(f"{what}: column '{name}' has no values; expected identifiers as text")
    raw = values.to_numpy(dtype=object)
    missing = pd.isna(raw)
    blank = np.array([isinstance(v, str) and not v.strip() for v in raw], dtype=bool)
    if blank.any():
        position = int(np.flatnonzero(blank)[0])
        raise TypeError(
            f"{what}: column '{name}' must hold identifiers as text; row "
            f"{values.index[position]} holds {raw[position]!r} (write a missing value instead)"
        )
    bad = np.array(
        [not m and not isinstance(v, str) for v, m in zip(raw, missing, strict=True)], dtype=bool
    )
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise TypeError(
            f"{what}: column '{name}' must hold text (an ID as text keeps its leading zeros); "
            f"row {values.index[position]} holds {raw[position]!r}"
        )
    return values, missing


def pseudonymise(values: pd.Series, key: bytes | str) -> pd.Series:
    """Replace each identifier by its keyed hash: HMAC-SHA256 with a secret key, in hex.

    The same identifier and key always give the same pseudonym, so records can still be
    linked; without the key, no one can compute the pseudonym of a known identifier.
    A missing identifier stays missing (it is not an identifier to protect).

    Parameters
    ----------
    values : pandas.Series
        Identifiers as text (a national ID, a record number).
    key : bytes or str
        The secret key, at least :data:`MIN_KEY_BYTES` bytes; keep it apart from the data.

    Returns
    -------
    pandas.Series
        64 hexadecimal characters per identifier, same index and name.

    Raises
    ------
    TypeError
        A value is not text (the message names the row), or the key is not bytes or text.
    ValueError
        The key is too short.

    Examples
    --------
    >>> ids = pd.Series(["1234567897", None], name="national_id")
    >>> out = pseudonymise(ids, b"k" * 32)
    >>> out[0][:16], out[1] is None
    ('88c14702ec341c50', True)
    """
    secret = _key(key)
    values, missing = _values(values, "pseudonymise")
    out = [
        None if m else hmac.new(secret, v.encode("utf-8"), hashlib.sha256).hexdigest()
        for v, m in zip(values.to_numpy(dtype=object), missing, strict=True)
    ]
    return pd.Series(out, index=values.index, name=values.name, dtype=object)


def unkeyed_hash(values: pd.Series) -> pd.Series:
    """Hash each identifier with plain SHA-256, without a key: what NOT to do.

    Anyone can compute the hash of a candidate ID, so a list of hashed IDs is
    re-identified by trying every possible ID (see :func:`reidentify`).

    Parameters
    ----------
    values : pandas.Series
        Identifiers as text.

    Returns
    -------
    pandas.Series
        64 hexadecimal characters per identifier (missing stays missing).

    Examples
    --------
    >>> unkeyed_hash(pd.Series(["1234567897"]))[0][:16]
    '6e1f18a430c96cbc'
    """
    values, missing = _values(values, "unkeyed_hash")
    out = [
        None if m else hashlib.sha256(v.encode("utf-8")).hexdigest()
        for v, m in zip(values.to_numpy(dtype=object), missing, strict=True)
    ]
    return pd.Series(out, index=values.index, name=values.name, dtype=object)


def candidate_ids(prefix: str, length: int = 10) -> list[str]:
    """Every national ID that starts with ``prefix`` and has a correct Luhn check digit.

    The check digit is computed, not guessed: there is one valid ID per body, so an
    attacker needs ten times fewer tries than there are digit strings.

    Parameters
    ----------
    prefix : str
        The digits the attacker knows (for example those of the issuing office).
    length : int, default 10
        The length of an ID, check digit included.

    Returns
    -------
    list of str
        The candidate IDs, in increasing order.

    Examples
    --------
    >>> candidate_ids("12345678")[:4]
    ['1234567806', '1234567814', '1234567822', '1234567830']
    """
    if not isinstance(prefix, str) or not prefix.isdigit():
        raise ValueError(f"the prefix must be digits as text; got {prefix!r}")
    free = length - 1 - len(prefix)
    if free < 0:
        raise ValueError(f"the prefix {prefix!r} is longer than an ID body ({length - 1} digits)")
    if 10**free > MAX_CANDIDATES:
        raise ValueError(
            f"the prefix {prefix!r} leaves {10**free:,} candidates; the demonstration stops at "
            f"{MAX_CANDIDATES:,}: give at least {length - 1 - 6} known digits"
        )
    bodies = [prefix + "".join(d) for d in itertools.product("0123456789", repeat=free)]
    digits = national_id_check_digit(bodies) if free else [national_id_check_digit(prefix)]
    return [b + str(int(d)) for b, d in zip(bodies, np.atleast_1d(digits), strict=True)]


def reidentify(hashes: pd.Series, prefix: str) -> pd.Series:
    """Re-identify unkeyed SHA-256 hashes of national IDs by enumerating the candidate IDs.

    This is the attack that keyed hashing (:func:`pseudonymise`) prevents: it hashes every
    valid ID that starts with ``prefix`` (:func:`candidate_ids`) and looks each hash up.

    Parameters
    ----------
    hashes : pandas.Series
        Hashes as published (64 hexadecimal characters).
    prefix : str
        The digits of the ID that the attacker knows.

    Returns
    -------
    pandas.Series
        The ID found for each hash, or missing where the enumeration found none (same index).

    Examples
    --------
    >>> published = unkeyed_hash(pd.Series(["1234567871", "5555555550"]))
    >>> reidentify(published, "12345678").tolist()
    ['1234567871', None]
    >>> reidentify(pseudonymise(pd.Series(["1234567871"]), b"k" * 32), "12345678").tolist()
    [None]
    """
    values, _ = _values(hashes, "reidentify")
    table = {hashlib.sha256(c.encode()).hexdigest(): c for c in candidate_ids(prefix)}
    found = [table.get(h) if isinstance(h, str) else None for h in values.to_numpy(dtype=object)]
    return pd.Series(found, index=values.index, name=values.name, dtype=object)
