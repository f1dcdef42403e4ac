# shellcheck shell=bash
# crm_install_deps: installs what the build, the broker and the tests need, and only what is
# missing, so that a second call is a quick no-op.

CRM_APT_PACKAGES=(rabbitmq-server librabbitmq-dev libcurl4-openssl-dev libsqlite3-dev amqp-tools
    libphonenumber-dev libidn2-dev docker-compose libpq-dev postgresql
    libcairo2-dev libpango1.0-dev fonts-dejavu-core poppler-utils)
# cairo + pango: billing's PDF invoices; DejaVu: the font they print Cyrillic and ₽ with;
# poppler-utils (pdftotext, pdftoppm): the tests read the PDFs back with them.
# docker-compose (the Python v1 client, no engine): scripts/test checks compose.yaml with it.
# jsonschema >= 4.18 ships `referencing` (the registry API the schema tests use).
# rfc3339-validator: without it jsonschema silently skips the date-time format check.
# phonenumbers: the reference the phone table test compares with; pinned to the metadata of
# Debian 12's libphonenumber (8.12.57), or the two would disagree on new number ranges.
CRM_PHONENUMBERS_VERSION=8.12.57
# aiosmtpd: the SMTP server the e-mail tests start on 127.0.0.1 (Tests/Scripts/smtp_sink.py).
CRM_PIP_PACKAGES=(pika 'jsonschema>=4.18' rfc3339-validator "phonenumbers==$CRM_PHONENUMBERS_VERSION" aiosmtpd)

# Runs a command as root: directly when we are root, else through sudo.
_crm_as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "error: need root (or sudo) to run: $*" >&2
        return 1
    fi
}

_crm_dpkg_installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

_crm_python_ok() {
    CRM_PHONENUMBERS_VERSION=$CRM_PHONENUMBERS_VERSION python3 - <<'PY' 2>/dev/null
import importlib.metadata as md
import os
import pika, jsonschema, referencing, rfc3339_validator, phonenumbers, aiosmtpd  # noqa: F401
major, minor = (int(x) for x in md.version("jsonschema").split(".")[:2])
ok = (major, minor) >= (4, 18) and md.version("phonenumbers") == os.environ["CRM_PHONENUMBERS_VERSION"]
raise SystemExit(0 if ok else 1)
PY
}

crm_install_deps() {
    local missing=() p
    for p in "${CRM_APT_PACKAGES[@]}"; do
        _crm_dpkg_installed "$p" || missing+=("$p")
    done
    if ((${#missing[@]})); then
        echo "==> installing Debian packages: ${missing[*]}"
        # Without systemd, the package's postinst starts the system broker through its init
        # script (on 0.0.0.0:5672, clashing with ours) unless a policy-rc.d says no. Docker-style
        # machines have one that refuses; elsewhere, put one in place for the install only.
        local policy=/usr/sbin/policy-rc.d added_policy=0
        if [[ ! -e $policy ]]; then
            _crm_as_root sh -c "printf '#!/bin/sh\nexit 101\n' >$policy && chmod 755 $policy" || return 1
            added_policy=1
        fi
        local rc=0
        {
            _crm_as_root apt-get update -q &&
                _crm_as_root env DEBIAN_FRONTEND=noninteractive \
                    apt-get install -y -q --no-install-recommends "${missing[@]}"
        } || rc=$?
        if ((added_policy)); then _crm_as_root rm -f "$policy"; fi
        ((rc == 0)) || { echo "error: apt-get failed ($rc)" >&2; return "$rc"; }
    fi
    # Re-resolve the versioned sbin folder now that rabbitmq-server is surely there.
    if declare -F crm_find_rabbitmq_sbin >/dev/null; then
        crm_find_rabbitmq_sbin
    fi

    if ! command -v python3 >/dev/null 2>&1; then
        echo "error: python3 not found" >&2
        return 1
    fi
    if ! _crm_python_ok; then
        echo "==> installing Python packages: ${CRM_PIP_PACKAGES[*]}"
        # Debian's own python3 refuses pip installs (PEP 668); retry with the override there.
        python3 -m pip install -q "${CRM_PIP_PACKAGES[@]}" 2>/dev/null ||
            python3 -m pip install -q --break-system-packages "${CRM_PIP_PACKAGES[@]}"
        _crm_python_ok || { echo "error: pika/jsonschema>=4.18/phonenumbers==$CRM_PHONENUMBERS_VERSION/aiosmtpd still not importable by python3" >&2; return 1; }
    fi
}
