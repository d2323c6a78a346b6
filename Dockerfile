# Build: compile the TypeScript sources and bundle the server with the dev dependencies.
# Node 24, an LTS in support until April 2028 (Node 20's support ended in April 2026).
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# no scripts: `prepare` would bundle src/, which is not here yet
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/build.ts scripts/bundle.mjs ./scripts/
RUN npm run build

# Runtime: the bundle (it holds every package it imports) and the files it reads: the docs page's
# assets, the fixtures, package.json; and the OpenAPI documents. No node_modules.
FROM node:24-slim AS runtime
# The release workflow passes the tag's version and the repository's address.
ARG VERSION=0.1.0
ARG SOURCE=https://github.com/provider-mock/provider-mock
LABEL org.opencontainers.image.title="provider-mock" \
      org.opencontainers.image.description="A faithful mock of the user/account endpoints of Datafiniti, Fingerbank, Plaspy and Datonis" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="MIT"
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4010
COPY LICENSE package.json ./
COPY --from=build /app/dist/cli.js /app/dist/server.cjs ./dist/
COPY --from=build /app/dist/assets ./dist/assets
COPY fixtures ./fixtures
COPY openapi ./openapi
USER node
EXPOSE 4010
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4010)+'/__mock/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/cli.js"]
