# One image for both apps: compose picks the entry point (api or projector).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
# nest's tsc builder keeps the source tree: dist/apps/<app>/src/main.js
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The dashboard's static files, served by the api as they are (no build step).
COPY --from=build /app/apps/web ./apps/web
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js", "--api-only"]
