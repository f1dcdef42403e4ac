# shellcheck shell=bash
# The project's own PostgreSQL, for services that keep their state there (replicas: issue 10).
# Source after env.sh (and deps.sh). Everything lives under .run/postgres; the server listens on
# 127.0.0.1:$CRM_PG_PORT only. PostgreSQL refuses to run as root, so when we are root it runs as
# the `postgres` user of Debian's package.
#
#   crm_postgres_start     initdb on first use, start (or reuse) the server, create one database
#                          and one login per service; writes .run/postgres/databases.env with a
#                          CRM_DATABASE_URL_<SERVICE>=postgres://… line per service (mode 600)
#   crm_postgres_stop      stop the server we started
#   crm_database_url NAME  prints a service's URL

CRM_PG_DIR="$CRM_RUN_DIR/postgres"
# The server runs as `postgres` when we are root: it must be able to reach its folder. A checkout
# under a folder only root may enter (e.g. /root) gets a folder of its own under /tmp instead.
if [[ $EUID -eq 0 ]] && ! runuser -u postgres -- test -x "$CRM_RUN_DIR" 2>/dev/null; then
    CRM_PG_DIR="/tmp/crm-postgres-$(printf '%s' "$ROOT" | md5sum | cut -c1-12)"
fi
CRM_PG_DATA="$CRM_PG_DIR/data"
export CRM_PG_PORT="${CRM_PG_PORT:-5433}"
CRM_PG_STARTED_HERE=0
CRM_PG_SERVICES=(client-service billing-service reliability-service dedupe-service notification-service)

_crm_pg_bin() {
    compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' | sort -V | tail -n 1 | xargs -r dirname
}

# Runs a command as the server's owner: postgres when we are root, ourselves otherwise.
_crm_pg_as_owner() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

_crm_pg_psql() {
    PGPASSWORD="$(cat "$CRM_PG_DIR/superuser.password")" "$(_crm_pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$CRM_PG_PORT" -U postgres -d postgres "$@"
}

crm_postgres_start() {
    local bin
    bin="$(_crm_pg_bin)"
    if [[ -z $bin ]]; then
        echo "error: PostgreSQL is not installed (Debian's postgresql package)" >&2
        return 1
    fi
    mkdir -p "$CRM_PG_DIR" || return 1
    if [[ $EUID -eq 0 ]]; then chown postgres "$CRM_PG_DIR" || return 1; fi
    if [[ ! -s $CRM_PG_DIR/superuser.password ]]; then
        ( umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$CRM_PG_DIR/superuser.password" )
    fi
    if [[ ! -s $CRM_PG_DATA/PG_VERSION ]]; then
        echo "==> postgres: initdb $CRM_PG_DATA" >&2
        local pwfile="$CRM_PG_DIR/.pw"
        cp "$CRM_PG_DIR/superuser.password" "$pwfile" && chmod 600 "$pwfile"
        if [[ $EUID -eq 0 ]]; then chown postgres "$pwfile"; fi
        _crm_pg_as_owner "$bin/initdb" -D "$CRM_PG_DATA" -U postgres --pwfile="$pwfile" \
            --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$CRM_PG_DIR/initdb.log" 2>&1 || {
            rm -f "$pwfile"; echo "error: initdb failed; see $CRM_PG_DIR/initdb.log" >&2; return 1; }
        rm -f "$pwfile"
    fi
    if _crm_pg_as_owner "$bin/pg_ctl" -D "$CRM_PG_DATA" status >/dev/null 2>&1; then
        echo "==> postgres: reusing the server on 127.0.0.1:$CRM_PG_PORT" >&2
    else
        echo "==> postgres: starting on 127.0.0.1:$CRM_PG_PORT (log: $CRM_PG_DIR/server.log)" >&2
        # The socket goes into our folder, not /var/run/postgresql (which may not exist here).
        _crm_pg_as_owner "$bin/pg_ctl" -D "$CRM_PG_DATA" -l "$CRM_PG_DIR/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $CRM_PG_PORT -k $CRM_PG_DIR -c max_connections=200" start >/dev/null || {
            echo "error: PostgreSQL did not start; see $CRM_PG_DIR/server.log" >&2; return 1; }
        CRM_PG_STARTED_HERE=1
    fi
    _crm_pg_databases || return 1
}

# One login and one database per service, each owned by its login; passwords made once.
_crm_pg_databases() {
    local env="$CRM_PG_DIR/databases.env" name var password
    touch "$env" && chmod 600 "$env"
    for name in "${CRM_PG_SERVICES[@]}"; do
        var="CRM_DATABASE_URL_$(echo "$name" | tr '[:lower:]-' '[:upper:]_')"
        if ! grep -q "^$var=" "$env"; then
            password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
            echo "$var=postgres://$name:$password@127.0.0.1:$CRM_PG_PORT/$name" >>"$env"
        fi
        password="$(sed -n "s|^$var=postgres://$name:\([^@]*\)@.*|\1|p" "$env")"
        _crm_pg_psql -c "DO \$\$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$name') THEN CREATE ROLE \"$name\" LOGIN; END IF;
            END \$\$; ALTER ROLE \"$name\" PASSWORD '$password';" || return 1
        if [[ -z "$(_crm_pg_psql -tA -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" ]]; then
            _crm_pg_psql -c "CREATE DATABASE \"$name\" OWNER \"$name\"" || return 1
        fi
    done
    export CRM_DATABASES_ENV="$env"
}

crm_database_url() {
    local var
    var="CRM_DATABASE_URL_$(echo "$1" | tr '[:lower:]-' '[:upper:]_')"
    sed -n "s/^$var=//p" "$CRM_DATABASES_ENV"
}

crm_postgres_stop() {
    local bin
    bin="$(_crm_pg_bin)"
    [[ -n $bin && -s $CRM_PG_DATA/PG_VERSION ]] || return 0
    _crm_pg_as_owner "$bin/pg_ctl" -D "$CRM_PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
    CRM_PG_STARTED_HERE=0
}
