#!/usr/bin/env bash
# The layers of docs/ARCHITECTURE.md, checked on the includes (every library shares one include
# root, so the compiler alone would not notice an include that points the wrong way):
# - src/core includes no Beast, Boost.JSON, libpq, spdlog, nor any other layer of the project;
# - src/http knows nothing about hotels or the database (no core, pg, storage, api);
# - src/api (the handlers) uses core values and ports, never the driver or the stores.
set -uo pipefail
src="$1/src"
fail=0
check() {  # dir, pattern, rule
    local hits
    hits=$(grep -rnE "^#include [<\"]($2)" "$src/$1" || true)
    if [ -n "$hits" ]; then
        echo "src/$1 breaks the layering ($3):"
        echo "$hits"
        fail=1
    fi
}
check core 'boost/beast|boost/json|libpq|postgresql/|spdlog|pg/|storage/|http/|api/|app/' \
    'core includes no Beast, JSON, libpq, logging or other layer'
check http 'core/|pg/|storage/|api/|app/|libpq' 'http knows nothing about hotels or the database'
check api 'pg/|storage/|libpq|app/' 'handlers use core values and ports'
check pg 'storage/|http/|api/|app/' 'the driver knows nothing above it'
check storage 'http/|api/|app/' 'stores know nothing of HTTP'
exit "$fail"
