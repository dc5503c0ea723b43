# syntax=docker/dockerfile:1
# Build stage: compile a release binary (SQLite is compiled in through rusqlite's `bundled`).
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY schema ./schema
RUN cargo build --release --locked --bin claimgraph

# Runtime stage: the binary, the seed fixtures, an unprivileged user, the database on a volume.
FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin claimgraph \
    && mkdir -p /data /app \
    && chown claimgraph:claimgraph /data
COPY --from=build /src/target/release/claimgraph /usr/local/bin/claimgraph
COPY seed /app/seed
COPY schema /app/schema
WORKDIR /app
USER claimgraph
VOLUME ["/data"]
ENV CLAIMGRAPH_DB=/data/claimgraph.db
ENTRYPOINT ["claimgraph"]
CMD ["seed", "--db", "/data/claimgraph.db", "/app/seed"]
