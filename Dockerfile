# The Partnerflow worker (and later the web server). `npm ci` compiles the CLI to dist/ (the
# `prepare` script), so the sources must be in place first; the workflow bundle is built below.
FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
# Two malloc arenas: the SDK's core and Node's threads otherwise each keep an arena's freed memory.
ENV MALLOC_ARENA_MAX=2
COPY . .
RUN npm ci --omit=dev && npm cache clean --force
USER node
# The workflow bundle, built into the image's cache so a worker polls within seconds of its start.
RUN node --import tsx scripts/bundle-workflows.ts
# Migrations are idempotent and serialised by an advisory lock, so every start may run them.
CMD ["sh", "-c", "node bin/partnerflow.js migrate && exec node bin/partnerflow.js worker"]
