# syntax=docker/dockerfile:1
# GBA Customs Intelligence Hub. Build: docker build -t gba-hub .
# Runs against the PostgreSQL named by DATABASE_URL; give it a trust configuration
# (HUB_TRUST_CONFIG) naming each agency's issuer and JWKS.
# Node.js 24 LTS: Node 20 reached its end of life in April 2026 (.ci/run runs the suite on both).

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
# src/console (the web console) is built by Vite into dist/console with the server: the runtime
# stage copies dist/ whole, and the hub serves it at /.
COPY src ./src
COPY scripts ./scripts
COPY migrations ./migrations
# The console's explorer embeds the schema, so it works with introspection off.
COPY schema ./schema
RUN npm run build

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=4000 \
    HUB_DATA_DIR=/var/lib/gba-hub
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; the embedded PostgreSQL binaries (an optional dependency)
# are left out because a container always runs against DATABASE_URL.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
RUN groupadd --system hub && useradd --system --gid hub --home-dir /app hub \
 && mkdir -p /var/lib/gba-hub && chown hub:hub /var/lib/gba-hub
USER hub
# 4000: GraphQL over HTTP and WebSocket, for partners (behind the TLS proxy). 9464: /metrics
# (with /healthz and /readyz) for the monitoring network only: do not publish it to partners.
EXPOSE 4000 9464
# Healthy means ready: the database answers, no migration is pending and the event feed listens.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The hub handles SIGTERM itself: it drains requests and closes sockets within 10 s.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
