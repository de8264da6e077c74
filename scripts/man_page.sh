#!/usr/bin/env bash
# scripts/man_page.sh BINARY NAME VERSION EPOCH: a section 1 manual page for NAME, made from
# BINARY's own --help (CLI11's layout: a summary line, the usage, then "Options:" and the like,
# each entry "  --flag TYPE=default (Env:NAME)" with its description on the same line or
# indented below), so the page says exactly what the program accepts. Written for the package
# (scripts/build_deb.sh); roff on stdout.
set -euo pipefail
bin=$1 name=$2 version=$3 epoch=$4
"$bin" --help | awk -v name="$name" -v version="$version" \
    -v date="$(date -u -d "@$epoch" +%Y-%m-%d)" '
    # roff text: backslashes escaped, hyphens as minus signs, no request-like line starts.
    function roff(s) {
        gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s)
        if (s ~ /^[.\047]/) s = "\\&" s
        return s
    }
    function flush() {
        if (tag != "") { print ".TP"; print ".B " roff(tag); if (text != "") print roff(text) }
        tag = ""; text = ""
    }
    NR == 1 {
        summary = $0; sub("^" name ": ", "", summary); sub(/\.$/, "", summary)
        print ".TH " toupper(name) " 1 \"" date "\" \"hotel " version "\" \"hotel\""
        print ".SH NAME"; print roff(name) " \\- " roff(summary)
        next
    }
    !seen_usage && /^Usage: / {
        seen_usage = 1
        usage = $0; sub(/^Usage: [^ ]*/, "", usage)
        print ".SH SYNOPSIS"; print ".B " roff(name); if (usage != "") print roff(usage)
        if (description != "") { print ".SH DESCRIPTION"; print roff(description) }
        next
    }
    !seen_usage { description = (description == "" ? $0 : description " " $0); next }
    /^[A-Za-z][^:]*:$/ { flush(); sub(/:$/, ""); print ".SH " toupper($0); next }
    /^  [^ ]/ {
        flush()
        line = substr($0, 3)
        i = index(line, "  ")
        if (i > 0) { tag = substr(line, 1, i - 1); text = substr(line, i); sub(/^ +/, "", text) }
        else tag = line
        next
    }
    /^   +[^ ]/ { s = $0; sub(/^ +/, "", s); text = (text == "" ? s : text " " s); next }
    END { flush() }
'
cat <<'ROFF'
.SH ENVIRONMENT
Every setting shown above with (Env:NAME) may be given as that environment variable instead
of the flag; the flag wins when both are given.
.SH FILES
.TP
.I /etc/hotel/hotel.env
the settings of hotel.service, as environment variables
.TP
.I /etc/hotel/jwt\-secret
the token signing secret, handed to hoteld by hotel.service as HOTEL_JWT_SECRET_FILE
.TP
.I /usr/share/hotel/web
the web app, served at /
.SH SEE ALSO
.BR hoteld (1),
.BR hotel\-migrate (1),
.BR systemctl (1);
/usr/share/doc/hotel/OPERATIONS.md.gz and /usr/share/doc/hotel/README.md.gz
ROFF
