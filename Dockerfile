# One image for every Troupe app; the command picks the app:
#   docker build -t troupe .
#   docker run --env-file orders.env troupe dist/apps/orders/main.js
# Kubernetes Deployments pass the same path as `args` (k8s/base/generated/apps/*.yaml).
ARG NODE_VERSION=20

# 1. Everything needed to build, then `npm run build`: one bundled main.js per app in dist/apps/.
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts/build ./scripts/build
COPY libs ./libs
COPY apps ./apps
RUN npm run build

# 2. Production dependencies only (the bundles leave node_modules external).
FROM node:${NODE_VERSION}-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force

# 3. What runs: the bundles and the production dependencies, as the unprivileged `node` user
#    (uid 1000, the Deployments' runAsUser). Nothing is written at run time (read-only root).
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# A 4 MB young-generation semi-space instead of V8's 16 MB: idle RSS about 30 MB lower, at a few
# more scavenges under load (docs/benchmarks.md, "Deploy footprint"; bench/footprint.bench.ts
# runs the build with these same options).
ENV NODE_ENV=production PORT=8080 NODE_OPTIONS=--max-semi-space-size=4
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 8080
ENTRYPOINT ["node"]
CMD ["dist/apps/checkout/main.js"]
