# shellcheck shell=bash
# The development broker users, least privilege instead of guest. Source after env.sh and broker.sh.
#
#   crm_users_setup BIN   with crmctl in BIN: writes .run/users.env (passwords generated on the
#                         first start, mode 600), .run/access.json (the policy every service
#                         reads), and creates the users with their permissions on the broker.
#
# Afterwards CRM_USERS_ENV and CRM_ACCESS_FILE are exported; `crm_user_url NAME` prints a user's URL.

crm_users_setup() {
    local bin=$1 defs="$CRM_RUN_DIR/broker-definitions.json" rc=0
    "$bin/crmctl" access setup --run-dir "$CRM_RUN_DIR" --host 127.0.0.1 --port "$RABBITMQ_NODE_PORT" >/dev/null || return 1
    # The definitions hold the passwords: imported, then removed.
    "$CRM_RABBITMQCTL" -q import_definitions "$defs" >/dev/null || rc=$?
    rm -f "$defs"
    if ((rc != 0)); then
        echo "error: rabbitmqctl import_definitions failed ($rc)" >&2
        return 1
    fi
    export CRM_USERS_ENV="$CRM_RUN_DIR/users.env"
    export CRM_ACCESS_FILE="$CRM_RUN_DIR/access.json"
    echo "==> broker users: $(grep -c = "$CRM_USERS_ENV") (URLs in .run/users.env, policy in .run/access.json)" >&2
}

# The URL of a development user, e.g. `crm_user_url client-service`.
crm_user_url() {
    local var
    var="AMQP_URL_$(echo "$1" | tr '[:lower:]-' '[:upper:]_')"
    sed -n "s/^$var=//p" "$CRM_USERS_ENV"
}
