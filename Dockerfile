# One image for every AMOSKYS component (multi-arch: linux/amd64, linux/arm64).
# Node.js 24 runs the TypeScript sources directly (type stripping), so there is
# no build step; the dependencies are pure JavaScript. .dockerignore keeps
# tests, benchmarks and fixtures out; `npm run image` builds the same image
# without Docker from this file's COPY list (e2e/image/).
#   docker buildx build --platform linux/amd64,linux/arm64 -t amoskys .
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: modbus-serial's optional serialport addon is not used (Modbus/TCP only).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:24-bookworm-slim
# tcpdump for passive capture (CollectorProfile spec.capture). It gets
# NET_RAW and NET_ADMIN as file capabilities, so the agent can stay uid 1000
# without capabilities and only tcpdump holds them (within the pod's bounding
# set). No setuid/setgid binaries remain: capturing pods allow privilege
# escalation (for the file capabilities), nothing else should use it.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tcpdump libcap2-bin \
  && setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump \
  && getcap /usr/bin/tcpdump | grep -q cap_net_admin,cap_net_raw=eip \
  && apt-get purge -y --auto-remove libcap2-bin \
  && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/* \
  && find / -xdev -type f -perm /6000 -exec chmod a-s {} +
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
COPY embedded ./embedded
LABEL org.opencontainers.image.title="amoskys" \
  org.opencontainers.image.description="AMOSKYS: collect, sign and analyse real device telemetry; a Kubernetes operator." \
  org.opencontainers.image.source="https://github.com/amoskys/amoskys" \
  org.opencontainers.image.licenses="Apache-2.0"
# Numeric, so the kubelet can check runAsNonRoot (the node image's "node" user is 1000).
USER 1000:1000
ENTRYPOINT ["node", "operator/cli.ts"]
CMD ["help"]
