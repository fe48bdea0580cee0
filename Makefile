# make run  — API + worker on http://127.0.0.1:8000 with local services and demo data
# make test — lint, format check, type check and the whole test suite (what CI runs)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck pytest bench bench-push bench-webhooks bench-lighthouse bench-officer bench-sync clean pwa

$(VENV)/.installed: pyproject.toml scripts/bootstrap_venv.sh
	./scripts/bootstrap_venv.sh
	touch $@

# The citizen app: npm packages from the lock file, then the build into pwa/dist.
pwa/node_modules/.installed: pwa/package.json pwa/package-lock.json
	cd pwa && npm ci --no-audit --no-fund
	touch $@

pwa: pwa/node_modules/.installed
	cd pwa && npm run --silent build

run: $(VENV)/.installed pwa
	./scripts/ensure_services.sh
	$(BIN)/python scripts/run_local.py

test: $(VENV)/.installed lint typecheck pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy api workers

bench: $(VENV)/.installed
	./scripts/ensure_services.sh
	$(BIN)/python bench/run.py
	$(BIN)/python bench/push.py
	$(BIN)/python bench/webhooks.py
	$(BIN)/python bench/lighthouse.py
	$(BIN)/python bench/officer_offline.py
	$(MAKE) bench-sync

# Web Push alone: pushes/s per worker process beside the push service's ceiling, and
# commit → push p95 with an idle queue.
bench-push: $(VENV)/.installed
	./scripts/ensure_services.sh
	$(BIN)/python bench/push.py

# Webhooks alone: signed deliveries/s per worker process beside the loopback receiver's ceiling,
# and a healthy endpoint's rate beside a dead one.
bench-webhooks: $(VENV)/.installed
	./scripts/ensure_services.sh
	$(BIN)/python bench/webhooks.py

# The officer app's "Prepare for offline" with 500 applications in the unit, through the lossy
# proxy as a 256 kbit/s, 300 ms link (headless Chromium); prints the officer chunk's size too.
bench-officer: $(VENV)/.installed pwa
	./scripts/ensure_services.sh
	$(BIN)/python bench/officer_offline.py

# The citizen app in Lighthouse (pwa/'s dev dependency, Debian's Chromium): home, procedure and
# form screens, mobile, simulated throttling.
bench-lighthouse: $(VENV)/.installed pwa
	./scripts/ensure_services.sh
	$(BIN)/python bench/lighthouse.py

# Offline sync: bytes per pulled record, a 500-record pull and a 200-command push over a
# 256 kbit/s, 300 ms link, pull records/s beside pgbench select-only; then the issue's full
# simulation (3 devices, two communes, about 1,000 commands, 10 % of connections cut; the
# servers' logs on stderr are dropped, pytest reports on stdout).
bench-sync: $(VENV)/.installed
	./scripts/ensure_services.sh
	$(BIN)/python bench/sync.py
	SYNC_SIMULATION_SCALE=5 $(BIN)/python -m pytest -q -s tests/test_sync_simulation.py 2>/dev/null

pytest: $(VENV)/.installed pwa
	./scripts/ensure_services.sh
	./scripts/ensure_browser.sh
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache pwa/node_modules pwa/dist
