#!/bin/sh
# Runs once, when the compose `postgres` volume is new: a login and a database per service that
# keeps its tables in PostgreSQL, each owned by its login (no service reads another's).
set -eu
for service in client-service reliability-service billing-service dedupe-service notification-service; do
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -v name="$service" -v password="$CRM_PG_SERVICE_PASSWORD" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
done
