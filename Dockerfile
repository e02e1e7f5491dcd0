# The SIEM server image: API, correlation, inputs and the built web app in one process.
# compose.yml runs several of these on one PostgreSQL and one Redis, behind nginx.
FROM node:20-bookworm-slim
WORKDIR /opt/siem
ENV NODE_ENV=production

# Dependencies first, so a source change does not reinstall them.
COPY package.json package-lock.json ./
COPY contracts/package.json contracts/package.json
COPY server/package.json server/package.json
COPY web/package.json web/package.json
RUN npm ci --no-audit --no-fund --include=dev

COPY tsconfig.base.json eslint.config.js ./
COPY contracts contracts
COPY server server
COPY web web
COPY scripts scripts
COPY docs docs
RUN npm run build -w web && mkdir -p /opt/siem/data && chown node:node /opt/siem/data

USER node
# Listen on every interface inside the container; the web app is already built.
ENV HOST=0.0.0.0 PORT=8431 WEB_DIST_DIR=/opt/siem/web/dist DATA_DIR=/opt/siem/data
# HTTP API and web app, syslog (UDP/TCP 5514, TLS 6514 once a certificate is set), shipper protocols.
EXPOSE 8431 5514/tcp 5514/udp 6514 9201
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD node -e "fetch('http://127.0.0.1:8431/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "scripts/start.mjs"]
