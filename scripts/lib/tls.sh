# shellcheck shell=bash
# TLS material for the broker's AMQPS listener (server authentication only). Source after env.sh
# (broker.sh sources it).
#
#   crm_tls_material   creates, once, a CA and a server certificate for localhost under
#                      $CRM_RUN_DIR/tls/; later calls keep what is there while it is valid
#
# Files in $CRM_RUN_DIR/tls/: ca.pem (the CA certificate clients trust), ca.key (kept for signing
# more certificates; 0600), server.pem and server.key (0600; the broker runs as the user of the
# scripts, so it can read them). The server certificate is for CN=localhost with
# subjectAltName DNS:localhost, IP:127.0.0.1. rabbitmq-c verifies the host name against the
# DNS names, so clients connect to `localhost`, not to 127.0.0.1.
#
# Overrides (set before sourcing):
#   CRM_AMQPS_PORT  AMQPS listener port (default 5671)
#
# Exported: CRM_TLS_DIR, CRM_TLS_CA (the CA file) and AMQPS_URL, the broker's default vhost over
# TLS, e.g. amqps://guest:guest@localhost:5671/%2f?cacertfile=/repo/.run/tls/ca.pem

export CRM_TLS_DIR="$CRM_RUN_DIR/tls"
export CRM_TLS_CA="$CRM_TLS_DIR/ca.pem"
export CRM_AMQPS_PORT="${CRM_AMQPS_PORT:-5671}"
export AMQPS_URL="amqps://guest:guest@localhost:$CRM_AMQPS_PORT/%2f?cacertfile=$CRM_TLS_CA"

_crm_tls_log() { echo "==> tls: $*" >&2; }

# True when the files are there, the server certificate is signed by the CA, and neither
# certificate expires within 30 days.
_crm_tls_valid() {
    local f
    for f in ca.pem ca.key server.pem server.key; do
        [[ -s "$CRM_TLS_DIR/$f" ]] || return 1
    done
    openssl verify -CAfile "$CRM_TLS_DIR/ca.pem" "$CRM_TLS_DIR/server.pem" >/dev/null 2>&1 || return 1
    openssl x509 -checkend $((30 * 86400)) -noout -in "$CRM_TLS_DIR/ca.pem" >/dev/null 2>&1 || return 1
    openssl x509 -checkend $((30 * 86400)) -noout -in "$CRM_TLS_DIR/server.pem" >/dev/null 2>&1 || return 1
}

# Creates the CA and the server certificate unless valid ones exist. Idempotent; the new files
# are made in a temporary folder and moved in place, so an interrupted run leaves no half set.
crm_tls_material() {
    if _crm_tls_valid; then
        return 0
    fi
    if ! command -v openssl >/dev/null 2>&1; then
        echo "error: openssl is not installed (needed for the broker's TLS certificates)" >&2
        return 1
    fi
    mkdir -p "$CRM_TLS_DIR" || return 1
    local tmp
    tmp="$(mktemp -d "$CRM_TLS_DIR/.new.XXXXXX")" || return 1
    _crm_tls_log "creating a CA and a server certificate for localhost in $CRM_TLS_DIR"
    if ! (
        set -e
        umask 077
        cd "$tmp"
        # The CA: RSA 2048, 10 years.
        openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
            -keyout ca.key -out ca.pem -subj "/CN=crm test CA" \
            -addext "basicConstraints=critical,CA:TRUE" \
            -addext "keyUsage=critical,keyCertSign,cRLSign" \
            -addext "subjectKeyIdentifier=hash" 2>/dev/null
        # The server: a key and a request for CN=localhost, signed by the CA.
        openssl req -newkey rsa:2048 -nodes -sha256 \
            -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
        cat >server.ext <<'EXT'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EXT
        openssl x509 -req -sha256 -days 3650 -in server.csr -CA ca.pem -CAkey ca.key \
            -set_serial "0x$(openssl rand -hex 16)" -extfile server.ext -out server.pem 2>/dev/null
        openssl verify -CAfile ca.pem server.pem >/dev/null
        chmod 644 ca.pem server.pem
        chmod 600 ca.key server.key
        rm -f server.csr server.ext
    ); then
        rm -rf "$tmp"
        echo "error: could not create the TLS certificates in $CRM_TLS_DIR" >&2
        return 1
    fi
    # Keys first, certificates last: a reader that finds server.pem finds its key too.
    mv -f "$tmp/ca.key" "$tmp/server.key" "$CRM_TLS_DIR/" &&
        mv -f "$tmp/ca.pem" "$tmp/server.pem" "$CRM_TLS_DIR/" || { rm -rf "$tmp"; return 1; }
    rm -rf "$tmp"
}
