# hoteld in a container, for those who deploy containers (docs/OPERATIONS.md, "Containers").
# NOT TESTED: the machines this project is built and tested on have no Docker engine, so this
# file has never been built. It installs the same Debian package as a host does.
#   docker build -t hotel .
#   docker run --rm -e DATABASE_URL=... hotel hotel-migrate
#   docker run -d -p 8080:8080 -e DATABASE_URL=... \
#       -v /path/to/jwt-secret:/run/secrets/hotel_jwt_secret:ro hotel

# The package, built as ./hotel package builds it (which installs the build tools it needs).
FROM debian:12 AS build
WORKDIR /src
COPY . .
RUN ./hotel package

# The runtime: Debian 12 slim, the package and what its Depends name, no build tools.
FROM debian:12-slim
COPY --from=build /src/build/package/ /tmp/package/
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates /tmp/package/hotel_*.deb \
    && rm -rf /var/lib/apt/lists/* /tmp/package \
    # The secret the package made must not ship in an image: each deployment brings its own.
    && rm -f /etc/hotel/jwt-secret \
    && useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin hotel
# hoteld's settings are environment variables (hoteld --help); these suit a container. The
# signing secret comes from a mounted file (a Docker or Kubernetes secret) at this path.
ENV HOTEL_LISTEN=0.0.0.0:8080 \
    HOTEL_WEB_DIR=/usr/share/hotel/web \
    HOTEL_JWT_SECRET_FILE=/run/secrets/hotel_jwt_secret
USER 10001:10001
EXPOSE 8080
# Probes: GET /health (liveness) and GET /ready (readiness), docs/OPERATIONS.md.
CMD ["hoteld"]
