# syntax=docker/dockerfile:1
#
#   docker build -t claimgraph .
#   docker run -p 8080:8080 -v claimgraph-data:/data claimgraph
#
# Writable by editors: mount the tokens file as a secret and point CLAIMGRAPH_TOKENS at it.
# The server runs as uid 10001, so the file must be owned by that uid and readable by it alone
# (mode 0400): chown 10001:10001 tokens && chmod 0400 tokens, then
#   docker run ... --mount type=bind,src="$PWD/tokens",dst=/run/secrets/claimgraph-tokens,readonly \
#     -e CLAIMGRAPH_TOKENS=/run/secrets/claimgraph-tokens claimgraph
# (with Compose or Swarm secrets, give the secret uid: "10001", gid: "10001", mode: 0400). It is
# never baked into the image and never in an environment variable, which `docker inspect` shows.

# Both stages on Debian trixie, so that the binary's glibc is the one it runs with. The Rust
# version is the crate's rust-version (Cargo.toml); the runtime's dated tag fixes its packages.
# Bump both on purpose, together with rust-version.
FROM rust:1.95.0-slim-trixie AS build
WORKDIR /src

# Dependencies first, in a layer of their own: it is rebuilt only when Cargo.toml or Cargo.lock
# change, not on every change of src/. Cargo needs every target the manifest names (library,
# binary, the integration test, the benchmark) to read it, so each gets a stub.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src tests/integration benches \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && echo 'fn main() {}' > tests/integration/main.rs \
    && echo 'fn main() {}' > benches/reads.rs \
    && cargo build --release --locked --bin claimgraph

# The real sources and what they embed (migrations, seed fixtures, GraphiQL's assets). The
# stubs of the test and the benchmark stay: this build does not compile them.
COPY src ./src
COPY schema ./schema
COPY seed ./seed
COPY assets ./assets
# COPY keeps the files' own modification times, which can be older than the stub build; cargo
# would then take the stubs' output as up to date. Touching the crate roots makes it rebuild them.
RUN touch src/lib.rs src/main.rs \
    && cargo build --release --locked --bin claimgraph

# Runtime: the binary, the fixtures, an unprivileged user, the database on a volume.
FROM debian:trixie-20260202-slim
# A fixed uid/gid (not the next free one), so that the owner of the volume and of the tokens
# secret on the host can be set to match it.
RUN groupadd --system --gid 10001 claimgraph \
    && useradd --system --uid 10001 --gid 10001 --home-dir /data --shell /usr/sbin/nologin claimgraph \
    && mkdir -p /data/data /app \
    && chown -R 10001:10001 /data \
    && chmod 0750 /data
COPY --from=build /src/target/release/claimgraph /usr/local/bin/claimgraph
COPY seed /app/seed
COPY schema /app/schema
WORKDIR /data
USER 10001:10001
# /data holds the database (data/claimgraph.db) and must be writable by uid 10001. A new named
# volume takes the image's ownership of /data at its first mount; a host directory keeps its
# own, so chown it to 10001:10001 before mounting it (SQLite also writes its -wal and -shm
# files beside the database, so the directory, not only the file, must be writable).
VOLUME ["/data"]
EXPOSE 8080
ENV CLAIMGRAPH_BIND=0.0.0.0:8080
# `claimgraph healthcheck` asks GET /healthz on CLAIMGRAPH_BIND and exits 0 on a 200 within 2 s.
# The start period covers the first start, which seeds a new database before serving.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["claimgraph", "healthcheck"]
ENTRYPOINT ["claimgraph"]
# With no --db, serve uses data/claimgraph.db under the working directory (the volume),
# seeding it from the fixtures embedded in the binary when it is new.
CMD ["serve"]
