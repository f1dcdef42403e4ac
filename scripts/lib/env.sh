# shellcheck shell=bash
# Project-local RabbitMQ environment. Source it; do not execute it.
#
# Everything the broker writes (data, logs, pid file, generated config, Erlang cookie)
# lives under $ROOT/.run/, which git ignores. Nothing under /var/lib/rabbitmq or
# /etc/rabbitmq is used, so the scripts run as root or as any user (beside a system broker too,
# given other ports through the overrides below).
#
# Overrides (set before sourcing):
#   CRM_NODENAME   Erlang node name            (default crm@localhost)
#   CRM_AMQP_PORT  AMQP listener port          (default 5672)
#   CRM_DIST_PORT  Erlang distribution port    (default 25672)
#   CRM_MGMT_PORT  management UI port          (default 15672, only with rabbitmq_management)
#   ERL_EPMD_PORT  epmd port                   (default 4369)

# The repo root: two levels above this file (scripts/lib/env.sh).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ROOT
export CRM_RUN_DIR="$ROOT/.run"

# The Erlang cookie is read from $HOME/.erlang.cookie; the server and every rabbitmqctl call
# must see the same one, so HOME points into .run for both.
export HOME="$CRM_RUN_DIR/home"
mkdir -p "$HOME"
if [[ ! -s "$HOME/.erlang.cookie" ]]; then
    # Written here rather than left to Erlang so that the server and the first rabbitmqctl
    # call (which start at the same time) cannot race to create two different cookies.
    # `|| true`: head closing the pipe makes tr fail with SIGPIPE under pipefail.
    cookie="$(LC_ALL=C tr -dc '[:upper:]' </dev/urandom | head -c 20 || true)"
    ( umask 077 && printf '%s' "$cookie" >"$HOME/.erlang.cookie" )
    chmod 400 "$HOME/.erlang.cookie"
    unset cookie
fi

export RABBITMQ_NODENAME="${CRM_NODENAME:-crm@localhost}"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT="${CRM_AMQP_PORT:-5672}"
export RABBITMQ_DIST_PORT="${CRM_DIST_PORT:-25672}"
export CRM_MGMT_PORT="${CRM_MGMT_PORT:-15672}"
export ERL_EPMD_ADDRESS=127.0.0.1
export ERL_EPMD_PORT="${ERL_EPMD_PORT:-4369}"

export RABBITMQ_MNESIA_BASE="$CRM_RUN_DIR/rabbitmq/mnesia"
export RABBITMQ_LOG_BASE="$CRM_RUN_DIR/rabbitmq/log"
export RABBITMQ_PID_FILE="$CRM_RUN_DIR/rabbitmq/rabbitmq.pid"      # holds the beam.smp PID
export RABBITMQ_CONFIG_FILE="$CRM_RUN_DIR/rabbitmq/rabbitmq.conf"  # written by crm_broker_start
export RABBITMQ_ADVANCED_CONFIG_FILE="$CRM_RUN_DIR/rabbitmq/advanced.config"  # absent = none
export RABBITMQ_ENABLED_PLUGINS_FILE="$CRM_RUN_DIR/rabbitmq/enabled_plugins"
# Keep /etc/rabbitmq/rabbitmq-env.conf out of the picture (the scripts source it by default).
export RABBITMQ_CONF_ENV_FILE="$CRM_RUN_DIR/rabbitmq/rabbitmq-env.conf"

# Bind the distribution listener of the node (and of the short-lived rabbitmqctl nodes) to
# loopback too; without this Erlang listens on all interfaces.
# The schedulers sleep instead of spinning when out of work: on a two-core host the broker
# shares the CPU with the workers (measured: 4,125 → 4,470 order.placed/s in `scripts/bench clients`).
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none"
export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"

export AMQP_URL="amqp://guest:guest@127.0.0.1:$RABBITMQ_NODE_PORT/%2f"

# Finds the versioned sbin folder of the Debian package. Call it again after installing
# rabbitmq-server (crm_install_deps does). The /usr/sbin wrappers are not used: they switch
# to the rabbitmq user and its cookie under /var/lib/rabbitmq.
crm_find_rabbitmq_sbin() {
    local candidates
    candidates="$(compgen -G '/usr/lib/rabbitmq/lib/rabbitmq_server-*/sbin' | sort -V | tail -n 1 || true)"
    export RABBITMQ_SBIN="$candidates"
    if [[ -n "$RABBITMQ_SBIN" ]]; then
        export CRM_RABBITMQCTL="$RABBITMQ_SBIN/rabbitmqctl"
    else
        export CRM_RABBITMQCTL=""   # rabbitmq-server is not installed (yet)
    fi
}
crm_find_rabbitmq_sbin
