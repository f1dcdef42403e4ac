#ifndef CPOSTGRES_SHIM_H
#define CPOSTGRES_SHIM_H
/* libpq, PostgreSQL's own client library (Debian's libpq-dev; headers in /usr/include/postgresql). */
#include <libpq-fe.h>
#endif
