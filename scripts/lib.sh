# Shared by scripts/demo and scripts/test. Sourced, not run.

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_venv() {
    local py=""
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; raise SystemExit(sys.version_info < (3, 11))'; then
            py="$candidate"
            break
        fi
    done
    if [ -z "$py" ]; then
        log "Shelfwise needs Python 3.11 or newer (python3.11 -m venv must work)"
        exit 1
    fi
    if [ ! -x .venv/bin/python ]; then
        log "creating .venv with $py"
        if ! "$py" -m venv .venv; then
            # Debian splits venv out of the interpreter package.
            rm -rf .venv
            apt_install python3-venv
            "$py" -m venv .venv
        fi
        .venv/bin/pip install --quiet --disable-pip-version-check --upgrade pip
    fi
}

apt_install() {
    # Installs Debian packages when we may (root, apt present); otherwise says what is missing.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        log "installing Debian packages: $*"
        apt-get update -qq >/dev/null 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    else
        log "please install these Debian packages: $* (tests that need them skip; under CI=true they fail)"
    fi
}

ensure_system_tools() {
    # Tools nobody on the team wrote, which the tests drive: yaz-client (SRU) and
    # yaz-marcdump (both Debian yaz), MARC::Lint, zbarimg (decodes the digital card's
    # QR code and barcode), openssl (a certificate for the SIP2 TLS listener), pg_dump and
    # pg_restore (the PostgreSQL backup and restore, postgresql-client), a C compiler (gcc:
    # the power-loss test builds its fsync-snapshotting LD_PRELOAD shim).
    # Without one a test skips; under CI=true it fails (shelfwise.testing.tools).
    local missing=()
    command -v yaz-client >/dev/null 2>&1 || missing+=(yaz)
    command -v yaz-marcdump >/dev/null 2>&1 || missing+=(yaz)
    # Zebra (idzebra-2.0): the other library copy cataloguing is tested against (Z39.50 and SRU).
    command -v zebrasrv >/dev/null 2>&1 || missing+=(idzebra-2.0)
    command -v zebraidx >/dev/null 2>&1 || missing+=(idzebra-2.0)
    perl -MMARC::Lint -e1 >/dev/null 2>&1 || missing+=(libmarc-lint-perl)
    command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
    command -v openssl >/dev/null 2>&1 || missing+=(openssl)
    command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client)
    command -v pg_restore >/dev/null 2>&1 || missing+=(postgresql-client)
    # Digital objects (issue 17): a PDF's first page as an image (pdftoppm, poppler-utils),
    # the demo's spoken story (espeak-ng).
    command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
    command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
    # The power-loss test (issue 15): a C compiler for its LD_PRELOAD shim.
    command -v cc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
    if [ ${#missing[@]} -gt 0 ]; then
        # shellcheck disable=SC2207
        missing=($(printf '%s\n' "${missing[@]}" | sort -u))
        apt_install "${missing[@]}"
    fi
}

ensure_browser_tools() {
    # The web's browser tests: Debian's Chromium (Playwright's own download cannot be
    # fetched here), CJK fonts so Chinese and Korean do not render as boxes, and
    # axe-core from the npm registry (package.json pins it; node_modules/ is ignored).
    local missing=()
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing+=(fonts-noto-cjk)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
    if [ ! -f node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1; then
        log "installing axe-core (npm ci)"
        npm ci --no-audit --no-fund --silent
    fi
}

pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }

ensure_postgres() {
    if ! command -v pg_isready >/dev/null 2>&1; then apt_install postgresql; fi
    if pg_ready; then return 0; fi
    log "PostgreSQL is not answering on 127.0.0.1:5432; starting it"
    if command -v pg_ctlcluster >/dev/null 2>&1; then
        local version
        version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
        if [ -z "$version" ]; then
            apt_install postgresql
            version=$(ls /etc/postgresql | sort -V | tail -n 1)
        fi
        pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    fi
    for _ in $(seq 1 30); do
        pg_ready && break
        sleep 1
    done
    if ! pg_ready; then
        log "PostgreSQL could not be started: the tests need a server on 127.0.0.1:5432 that"
        log "accepts 'postgres' without a password (trust), or SHELFWISE_TEST_PG_URL set."
        exit 1
    fi
}

coverage_by_package() {
    # One line per package of src/shelfwise: its branch coverage in the run that just ended.
    [ -f .coverage ] || return 0
    .venv/bin/python - <<'PY'
import io
from pathlib import Path

import coverage

cov = coverage.Coverage()
cov.load()
packages = sorted(p.name for p in Path("src/shelfwise").iterdir() if (p / "__init__.py").exists())
cells = []
for name in packages:
    try:
        total = cov.report(include=[f"*/shelfwise/{name}/*"], file=io.StringIO())
    except coverage.exceptions.NoDataError:
        continue
    cells.append(f"{name} {total:.1f}")
print("branch coverage by package (%): " + ", ".join(cells))
PY
}
