# One image for every AMOSKYS component (multi-arch: linux/amd64, linux/arm64).
# Node.js 24 runs the TypeScript sources directly (type stripping), so there is
# no build step; the dependencies are pure JavaScript.
#   docker buildx build --platform linux/amd64,linux/arm64 -t amoskys .
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: modbus-serial's optional serialport addon is not used (Modbus/TCP only).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY runtime ./runtime
COPY proto ./proto
COPY crds ./crds
COPY operator ./operator
COPY agents ./agents
COPY bus-bridge ./bus-bridge
COPY analytics ./analytics
USER node
ENTRYPOINT ["node", "operator/cli.ts"]
CMD ["help"]
