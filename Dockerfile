# One image holds the five services and crmctl; the first argument picks the program:
#   docker build -t crm-services .
#   docker run --rm -e AMQP_URL=amqp://guest:guest@host:5672/%2f crm-services client-service
#   docker run --rm -e AMQP_URL=... crm-services crmctl status
# compose.yaml runs the whole stack with RabbitMQ.

# ---- build ------------------------------------------------------------------------------
FROM swift:6.1-bookworm AS build

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        librabbitmq-dev libcurl4-openssl-dev libsqlite3-dev libphonenumber-dev libidn2-dev libpq-dev \
        libcairo2-dev libpango1.0-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY . .
RUN swift build -c release \
 && mkdir -p /out/bin \
 && bin="$(swift build -c release --show-bin-path)" \
 && for p in client-service billing-service reliability-service dedupe-service \
             notification-service crmctl; do cp "$bin/$p" /out/bin/; done

# ---- runtime ----------------------------------------------------------------------------
FROM debian:bookworm-slim

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        librabbitmq4 libcurl4 libsqlite3-0 libphonenumber8 libprotobuf32 libidn2-0 libpq5 ca-certificates tzdata \
        libcairo2 libpango-1.0-0 libpangocairo-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# The Swift runtime (stdlib, Foundation, Dispatch, ...). The binaries look for it in
# /usr/lib/swift/linux (their run path in the swift image); ld.so.conf makes it certain.
COPY --from=build /usr/lib/swift/linux/*.so* /usr/lib/swift/linux/
RUN echo /usr/lib/swift/linux >/etc/ld.so.conf.d/swift.conf && ldconfig

COPY --from=build /out/bin/ /app/bin/
COPY schemas/ /app/schemas/
COPY templates/ /app/templates/
COPY scripts/docker-entrypoint.sh /app/entrypoint.sh

# Run as an unprivileged user; /data is where the services keep their SQLite files
# (a named volume mounted there starts with this ownership).
RUN useradd --system --uid 10001 --home-dir /data crm \
 && mkdir -p /data && chown crm:crm /data
USER crm
WORKDIR /data

ENV PATH=/app/bin:$PATH \
    CRM_DATA_DIR=/data \
    CRM_SCHEMAS_DIR=/app/schemas \
    CRM_TEMPLATES_DIR=/app/templates

ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["client-service"]
