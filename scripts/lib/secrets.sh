# shellcheck shell=bash
# The key that seals stored secrets (provider signatures, SMTP passwords, gateway tokens) in
# development. Source it after env.sh; do not execute it.
#
# A key given in CRM_SECRET_KEY wins. Otherwise .run/secret-key (mode 600) is read, and made
# once if missing: base64 of 32 random bytes. Keep the file: without it the signatures stored in
# data/ no longer open. Production sets CRM_SECRET_KEY from its own secret store.

crm_secret_key_export() {
    local file="$CRM_RUN_DIR/secret-key"
    if [[ -n ${CRM_SECRET_KEY:-} ]]; then
        export CRM_SECRET_KEY
        return 0
    fi
    if [[ ! -s $file ]]; then
        mkdir -p "$CRM_RUN_DIR"
        # umask first: the file never exists with wider permissions, not even for a moment.
        ( umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n' >"$file" )
    fi
    chmod 600 "$file"
    CRM_SECRET_KEY="$(<"$file")"
    export CRM_SECRET_KEY
}

crm_secret_key_export
