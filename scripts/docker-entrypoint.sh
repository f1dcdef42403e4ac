#!/bin/sh
# Entrypoint of the Docker image: the first argument names the program in /app/bin to run
# (client-service, billing-service, reliability-service, dedupe-service,
# notification-service or crmctl); the rest are its arguments. exec, so that the program
# gets SIGTERM from `docker stop` directly.
set -eu
name="${1:-}"
if [ -z "$name" ] || [ ! -x "/app/bin/$name" ]; then
    # shellcheck disable=SC2046  # the list of programs is meant to split into words
    echo "usage: <image> PROGRAM [ARGS...], PROGRAM one of:" $(ls /app/bin) >&2
    exit 64
fi
shift
exec "/app/bin/$name" "$@"
