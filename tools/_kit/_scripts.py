"""The text files a kit ships: its README and its install and start scripts (templates).

The templates are filled in and written by :mod:`._assembly`; the Windows scripts come in
two kinds, for a computer's own Python and for the kit's own Python (folder ``python``).
"""

README = """Universal social protection: governance and digital transformation
{title}

- Read the book: open site/index.html in a web browser (no internet needed).
- Install the exercise environment once, with no internet:
    Windows:        double-click install.bat
    Linux / macOS:  sh install.sh
  {needs}
- Start JupyterLab on the exercise notebooks (folder "notebooks"):
    Windows:        double-click start-lab.bat
    Linux / macOS:  sh start-lab.sh
  Stop it with Ctrl+C in its window.
- The data of the book are in the folder "datasets".
{extra}
The wheelhouse has wheels for: {platforms}.
"""

INSTALL_SH = """#!/bin/sh
# Install the learner environment into ./env from ./wheelhouse, with no network.
set -e
cd "$(dirname "$0")"
if [ -z "$PYTHON" ]; then
    for candidate in {candidates} python3; do
        if command -v "$candidate" >/dev/null 2>&1; then PYTHON="$candidate"; break; fi
    done
fi
"$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] not in [{versions}])' || {{
    echo "This kit needs Python {pythons}; set PYTHON=python3.x to the one you have."; exit 1; }}
"$PYTHON" -m venv env
env/bin/python -m pip install --quiet --disable-pip-version-check --no-index \\
    --find-links wheelhouse --require-hashes -r requirements-learner.lock
env/bin/python -m pip install --quiet --disable-pip-version-check --no-index \\
    --find-links wheelhouse --no-deps wheelhouse/socialprotection-*.whl
echo "Installed. Start JupyterLab with: sh start-lab.sh"
"""

START_SH = """#!/bin/sh
# Start JupyterLab on ./notebooks, with nothing fetched from the internet.
cd "$(dirname "$0")"
exec env/bin/python -m coursekit.lab --folder notebooks "$@"
"""

#: The end of both Windows install scripts: the message on success, and on failure.
_BAT_END = """echo Installed. Start JupyterLab with start-lab.bat
pause
exit /b 0
:failed
echo The installation failed: see the message above.
pause
exit /b 1
"""

INSTALL_BAT = (
    """@echo off
rem Install the learner environment into env from wheelhouse, with no network.
cd /d "%~dp0"
set PY=%PYTHON%
for %%v in ({pythons_desc}) do if not defined PY (py -%%v -c "" >nul 2>nul && set PY=py -%%v)
if not defined PY set PY=python
%PY% -c "import sys; sys.exit(sys.version_info[:2] not in [{versions}])" || (
    echo This kit needs Python {pythons}: install it from python.org, then try again.
    goto failed
)
%PY% -m venv env || goto failed
env\\Scripts\\python.exe -m pip install --quiet --disable-pip-version-check --no-index ^
    --find-links wheelhouse --require-hashes -r requirements-learner.lock || goto failed
for %%w in (wheelhouse\\socialprotection-*.whl) do (
    env\\Scripts\\python.exe -m pip install --quiet --disable-pip-version-check --no-index ^
        --find-links wheelhouse --no-deps "%%w" || goto failed
)
"""
    + _BAT_END
)

INSTALL_BAT_OWN_PYTHON = (
    """@echo off
rem Install the learner environment into the kit's own Python (folder python), with no network.
rem Nothing outside this folder changes: delete the folder to remove everything.
cd /d "%~dp0"
set PY=python\\python.exe
set PIP=
for %%p in (wheelhouse\\pip-*-py3-none-any.whl) do set PIP=%%p
if not defined PIP (
    echo The wheelhouse has no pip wheel.
    goto failed
)
%PY% "%PIP%\\pip" install --quiet --disable-pip-version-check --no-warn-script-location ^
    --no-index --find-links wheelhouse --require-hashes -r requirements-learner.lock || goto failed
for %%w in (wheelhouse\\socialprotection-*.whl) do (
    %PY% "%PIP%\\pip" install --quiet --disable-pip-version-check --no-warn-script-location ^
        --no-index --find-links wheelhouse --no-deps "%%w" || goto failed
)
"""
    + _BAT_END
)

START_BAT_OWN_PYTHON = """@echo off
rem Start JupyterLab on the notebooks folder, with nothing fetched from the internet.
cd /d "%~dp0"
python\\python.exe -m coursekit.lab --folder notebooks %*
"""

START_BAT = """@echo off
rem Start JupyterLab on the notebooks folder, with nothing fetched from the internet.
cd /d "%~dp0"
env\\Scripts\\python.exe -m coursekit.lab --folder notebooks %*
"""
