# shellcheck shell=bash
# A three-node RabbitMQ cluster on loopback, beside the single node of broker.sh (other ports,
# other node names, the same Erlang cookie in $HOME). Source after env.sh and broker.sh.
#
#   crm_cluster_launch     start the nodes that are not running (no wait)
#   crm_cluster_await      wait until all three have booted and formed one cluster
#   crm_cluster_stop       stop them (and nothing else)
#   crm_cluster_env NODE   run the rest of the line with NODE's environment (1, 2 or 3)
#
# Node i is crm<i>@localhost with AMQP on 127.0.0.1:$((CRM_CLUSTER_BASE_PORT + i)), data and logs
# under .run/cluster/crm<i>. The nodes find each other with classic_config peer discovery.
# CRM_CLUSTER_URLS holds the three guest URLs, comma-separated (the AMQP_URL list form).

CRM_CLUSTER_DIR="$CRM_RUN_DIR/cluster"
CRM_CLUSTER_BASE_PORT="${CRM_CLUSTER_BASE_PORT:-5680}"
CRM_CLUSTER_NODES=(1 2 3)
export CRM_CLUSTER_URLS=""
for _i in "${CRM_CLUSTER_NODES[@]}"; do
    CRM_CLUSTER_URLS+="${CRM_CLUSTER_URLS:+,}amqp://guest:guest@127.0.0.1:$((CRM_CLUSTER_BASE_PORT + _i))/%2f"
done
unset _i

crm_cluster_env() {
    local i=$1
    shift
    env RABBITMQ_NODENAME="crm$i@localhost" \
        RABBITMQ_NODE_PORT="$((CRM_CLUSTER_BASE_PORT + i))" \
        RABBITMQ_DIST_PORT="$((25680 + i))" \
        RABBITMQ_MNESIA_BASE="$CRM_CLUSTER_DIR/crm$i/mnesia" \
        RABBITMQ_LOG_BASE="$CRM_CLUSTER_DIR/crm$i/log" \
        RABBITMQ_PID_FILE="$CRM_CLUSTER_DIR/crm$i/rabbitmq.pid" \
        RABBITMQ_CONFIG_FILE="$CRM_CLUSTER_DIR/crm$i/rabbitmq.conf" \
        RABBITMQ_ADVANCED_CONFIG_FILE="$CRM_CLUSTER_DIR/crm$i/advanced.config" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$CRM_CLUSTER_DIR/crm$i/enabled_plugins" \
        "$@"
}

# The beam.smp of node i, if it runs.
crm_cluster_beam_pid() {
    local pid
    pid="$(cat "$CRM_CLUSTER_DIR/crm$1/rabbitmq.pid" 2>/dev/null || true)"
    [[ $pid =~ ^[0-9]+$ && "$(cat "/proc/$pid/comm" 2>/dev/null)" == beam.smp ]] && echo "$pid"
}

crm_cluster_launch() {
    local i
    for i in "${CRM_CLUSTER_NODES[@]}"; do
        mkdir -p "$CRM_CLUSTER_DIR/crm$i/mnesia" "$CRM_CLUSTER_DIR/crm$i/log"
        if crm_cluster_env "$i" "$CRM_RABBITMQCTL" -q status >/dev/null 2>&1; then continue; fi
        {
            echo "listeners.tcp.default = 127.0.0.1:$((CRM_CLUSTER_BASE_PORT + i))"
            echo "loopback_users.guest = true"
            echo "log.console = false"
            echo "cluster_formation.peer_discovery_backend = classic_config"
            local j
            for j in "${CRM_CLUSTER_NODES[@]}"; do echo "cluster_formation.classic_config.nodes.$j = crm$j@localhost"; done
        } >"$CRM_CLUSTER_DIR/crm$i/rabbitmq.conf"
        echo '[].' >"$CRM_CLUSTER_DIR/crm$i/enabled_plugins"
        crm_cluster_env "$i" setsid "$RABBITMQ_SBIN/rabbitmq-server" >"$CRM_CLUSTER_DIR/crm$i/server.out" 2>&1 </dev/null &
    done
}

crm_cluster_await() {
    local i deadline=$((SECONDS + 180))
    for i in "${CRM_CLUSTER_NODES[@]}"; do
        until crm_cluster_env "$i" "$CRM_RABBITMQCTL" -q await_startup --timeout 60 >/dev/null 2>&1; do
            if ((SECONDS >= deadline)); then
                echo "error: cluster node crm$i did not boot; see $CRM_CLUSTER_DIR/crm$i/" >&2
                return 1
            fi
            sleep 0.5
        done
    done
    until [[ "$(crm_cluster_env 1 "$CRM_RABBITMQCTL" -q cluster_status --formatter json 2>/dev/null |
                python3 -c 'import json,sys; print(len(json.load(sys.stdin)["running_nodes"]))' 2>/dev/null)" == 3 ]]; do
        if ((SECONDS >= deadline)); then
            echo "error: the three nodes did not form one cluster" >&2
            return 1
        fi
        sleep 1
    done
    echo "==> cluster: crm1..crm3@localhost running on $CRM_CLUSTER_URLS" >&2
}

crm_cluster_stop() {
    local i pid
    for i in "${CRM_CLUSTER_NODES[@]}"; do
        crm_cluster_env "$i" "$CRM_RABBITMQCTL" -q shutdown >/dev/null 2>&1 || true
        if pid="$(crm_cluster_beam_pid "$i")"; then kill -KILL "$pid" 2>/dev/null || true; fi
    done
}
