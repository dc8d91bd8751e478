r"""National ID numbers with a check digit, for the synthetic registries.

Ten digits: nine body digits and a check digit computed with the Luhn algorithm
(ISO/IEC 7812-1, Annex B): from the rightmost body digit leftwards, double every second
digit starting with the rightmost, subtract 9 from any result above 9, sum all digits;
the check digit is :math:`(10 - \text{sum} \bmod 10) \bmod 10`. It detects every
single mistyped digit and every swap of two adjacent digits except 09/90. The bodies are
the persons' serial numbers multiplied by :math:`7^{10}` modulo :math:`9 \times 10^8`,
plus :math:`10^8` (a bijection, so IDs are unique).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["national_id_check_digit", "valid_national_id"]

_MULTIPLIER = 7**10
_BODY_RANGE = 900_000_000


def _digits(ids: np.ndarray) -> np.ndarray:
    """Digits of equal-length digit strings as a (n, length) int array."""
    width = len(ids[0]) if len(ids) else 0
    raw = np.frombuffer(np.asarray(ids, dtype=f"S{max(width, 1)}").tobytes(), dtype=np.uint8)
    return raw.reshape(len(ids), max(width, 1)).astype(np.int64) - 48


def _luhn(body: np.ndarray) -> np.ndarray:
    """Luhn check digit of each row of a digit matrix (rightmost digit doubled)."""
    doubled = np.zeros(body.shape[1], dtype=bool)
    doubled[::-1][::2] = True
    values = body.copy()
    values[:, doubled] *= 2
    values[values > 9] -= 9
    return (10 - values.sum(axis=1) % 10) % 10


def national_id_check_digit(body: str | list[str] | np.ndarray) -> int | np.ndarray:
    """Return the Luhn check digit of an ID body (a string of digits), or of each body.

    The algorithm is in the module text (ISO/IEC 7812-1, Annex B).

    Examples
    --------
    The textbook Luhn example: the body 7992739871 takes the check digit 3.

    >>> national_id_check_digit("7992739871")
    3
    >>> national_id_check_digit(["123456789", "000000000"])
    array([7, 0])
    """
    single = isinstance(body, str)
    bodies = np.atleast_1d(np.asarray(body, dtype=str))
    if any(not b.isdigit() for b in {str(b) for b in bodies}) or len({len(b) for b in bodies}) > 1:
        raise ValueError("national_id_check_digit needs bodies of digits, all of the same length")
    result = _luhn(_digits(bodies))
    return int(result[0]) if single else result


def valid_national_id(ids: pd.Series | list | np.ndarray) -> np.ndarray:
    """Return True where an ID has ten digits and a correct Luhn check digit.

    Missing values, numbers (an ID is text), other lengths and non-digits are False:
    the function answers for every value and never raises.

    Parameters
    ----------
    ids : pandas.Series, list or numpy.ndarray
        The IDs.

    Examples
    --------
    >>> valid_national_id(["1234567897", "1234567898", "12345", None])
    array([ True, False, False, False])
    """
    values = pd.Series(ids, dtype=object).to_numpy()
    out = np.zeros(len(values), dtype=bool)
    text = np.array([v if isinstance(v, str) else "" for v in values], dtype=object)
    lengths = np.char.str_len(text.astype(str)) if len(text) else np.zeros(0, dtype=int)
    candidate = (lengths == 10) & np.char.isdigit(text.astype(str)) if len(text) else out
    if candidate.any():
        digits = _digits(text[candidate].astype(str))
        out[candidate] = _luhn(digits[:, :9]) == digits[:, 9]
    return out


def _make_ids(serial: np.ndarray) -> np.ndarray:
    body = (serial.astype(np.int64) * _MULTIPLIER) % _BODY_RANGE + 100_000_000
    text = body.astype("U9")
    check = _luhn(_digits(text))
    return np.char.add(text, check.astype("U1")).astype(object)
