#!/bin/sh
# Entrypoint of the Docker image: the first argument names the program in /app/bin to run
# (client-service, billing-service, reliability-service, dedupe-service,
# notification-service or crmctl); the rest are its arguments. exec, so that the program
# gets SIGTERM from `docker stop` directly.
# With CRM_USER and CRM_USERS_ENV set (compose.yaml), AMQP_URL is that user's line of the
# users file that `crmctl access setup` wrote.
set -eu
name="${1:-}"
if [ -z "$name" ] || [ ! -x "/app/bin/$name" ]; then
    # shellcheck disable=SC2046  # the list of programs is meant to split into words
    echo "usage: <image> PROGRAM [ARGS...], PROGRAM one of:" $(ls /app/bin) >&2
    exit 64
fi
shift
if [ -n "${CRM_USER:-}" ] && [ -r "${CRM_USERS_ENV:-}" ] && [ "$name" != crmctl ]; then
    var="AMQP_URL_$(echo "$CRM_USER" | tr 'a-z-' 'A-Z_')"
    AMQP_URL="$(sed -n "s/^$var=//p" "$CRM_USERS_ENV")"
    export AMQP_URL
fi
exec "/app/bin/$name" "$@"
