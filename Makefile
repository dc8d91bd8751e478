# Two commands do all the set-up: `make book` builds the site, `make test` runs every test.
# Both create the local virtual environment from requirements.lock when it is missing or stale.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-from-lock
HTML   := _build/html
# The learner environment (make lab, the workshop kit): its own lock, its own folder.
LEARNER_VENV  := .venv-learner
LEARNER_BIN   := $(LEARNER_VENV)/bin
LEARNER_STAMP := $(LEARNER_VENV)/.installed-from-lock
# make kit PLATFORMS="win_amd64 macosx_11_0_arm64" PYTHONS="3.12": wheel platform tags and
# Python versions of the kit's wheelhouse (default: Windows 64-bit and this machine; 3.11-3.13).
PLATFORMS ?=
PYTHONS   ?= 3.11 3.12 3.13
# KIT_ARGS=--learner-only builds the learner kit alone (no handouts needed).
KIT_ARGS  ?=

.PHONY: book handouts test serve bench lock data clean help lab kit

help:
	@echo "make book   build the site into $(HTML) (executes every notebook)"
	@echo "make handouts  print each module's A4 handouts (learners, trainers) into _build/handouts"
	@echo "make test   run ruff and every test (including a full build of the site)"
	@echo "make serve  serve the built site on http://127.0.0.1:8000"
	@echo "make bench  print the page-weight, survey-speed, registry-deduplication, privacy/interop and delivery-indicator benchmarks"
	@echo "           (BENCH_SIZE=small: the same benchmarks on small inputs, as CI runs them)"
	@echo "make data   check datasets/ against datapackage.yaml and write sizes and hashes"
	@echo "make lock   re-resolve requirements.lock and requirements-learner.lock from pyproject.toml"
	@echo "make lab    start JupyterLab on the learner notebooks (in lab/), offline"
	@echo "make kit    write the learner and trainer workshop kits into _build/kit/"

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed; set PYTHON=python3.x"; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(LEARNER_STAMP): requirements-learner.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed; set PYTHON=python3.x"; exit 1; }
	rm -rf $(LEARNER_VENV)
	$(PYTHON) -m venv $(LEARNER_VENV)
	$(LEARNER_BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		-r requirements-learner.lock
	$(LEARNER_BIN)/python -c 'import site, pathlib; pathlib.Path(site.getsitepackages()[0], \
		"socialprotection-src.pth").write_text(str(pathlib.Path("src").resolve()) + "\n")'
	touch $@

lab: $(LEARNER_STAMP)
	$(LEARNER_BIN)/python -m coursekit.lab --folder lab --exercises exercises

# The trainer kit holds the printed handouts.
kit: book handouts
	$(BIN)/python tools/kit.py --handouts _build/handouts \
		$(if $(strip $(PLATFORMS)),--platform $(PLATFORMS)) --python $(PYTHONS) $(KIT_ARGS)

book: $(STAMP)
	$(BIN)/python tools/build_book.py

# One PDF for learners and one for trainers per module, printed from the built site.
handouts: book
	$(BIN)/python tools/handouts.py

test: $(STAMP)
	$(BIN)/ruff check src tests tools benchmarks book/_ext
	$(BIN)/ruff format --check src tests tools benchmarks book/_ext
	$(BIN)/python -m pytest

serve: $(STAMP)
	@test -f $(HTML)/index.html || $(MAKE) book
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(HTML) 8000

# `make bench` runs every benchmark at the sizes of its targets (about 20 minutes);
# `make bench BENCH_SIZE=small` runs the same code on small inputs and weighs only the 6
# heaviest pages in the browser (CI does, in a few minutes).
BENCH_SIZE ?= full
ifeq ($(BENCH_SIZE),small)
WEIGHT_ARGS   := --largest 6
SURVEY_ARGS   := --persons 200000 --rounds 1
DEDUP_ARGS    := --sizes 20000
DELIVERY_ARGS := --events 200000
PRIVACY_ARGS  := --persons 20000 --repeat 1
else ifneq ($(BENCH_SIZE),full)
$(error BENCH_SIZE must be full or small, not "$(BENCH_SIZE)")
endif

bench: book
	$(BIN)/python benchmarks/page_weight.py $(WEIGHT_ARGS)
	$(BIN)/python benchmarks/survey_speed.py $(SURVEY_ARGS)
	$(BIN)/python benchmarks/registry_dedup.py $(DEDUP_ARGS)
	$(BIN)/python benchmarks/delivery_indicators.py $(DELIVERY_ARGS)
	$(BIN)/python benchmarks/privacy_interop_speed.py $(PRIVACY_ARGS)

data: $(STAMP)
	$(BIN)/python tools/update_datapackage.py

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra book --extra test --extra dev --extra spark \
		--extra polars --extra duckdb \
		--universal --python-version 3.11 --generate-hashes --no-header -o requirements.lock
	# The learner environment takes the versions of requirements.lock (those the tests ran)
	# for every package the two share; only JupyterLab and its own dependencies are its own.
	$(BIN)/uv pip compile pyproject.toml --extra linkage --extra privacy --extra learner \
		--universal --python-version 3.11 --generate-hashes --no-header \
		-c requirements.lock -o requirements-learner.lock

clean:
	rm -rf _build
