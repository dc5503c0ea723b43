# syntax=docker/dockerfile:1
# Build stage: compile a release binary (SQLite is compiled in through rusqlite's `bundled`).
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY schema ./schema
COPY seed ./seed
COPY assets ./assets
# Cargo reads every target the manifest names (the test binary, the benchmark) even to build
# one binary, so their sources come along.
COPY tests ./tests
COPY benches ./benches
RUN cargo build --release --locked --bin claimgraph

# Runtime stage: the binary, the seed fixtures, an unprivileged user, the database on a volume.
FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin claimgraph \
    && mkdir -p /data/data /app \
    && chown -R claimgraph:claimgraph /data
COPY --from=build /src/target/release/claimgraph /usr/local/bin/claimgraph
COPY seed /app/seed
COPY schema /app/schema
WORKDIR /data
USER claimgraph
VOLUME ["/data"]
EXPOSE 8080
ENV CLAIMGRAPH_BIND=0.0.0.0:8080
ENTRYPOINT ["claimgraph"]
# With no --db, serve uses data/claimgraph.db under the working directory (the volume),
# seeding it from the fixtures embedded in the binary when it is new.
CMD ["serve"]
