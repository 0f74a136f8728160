# The web frontend is built in its own stage; only its dist/ reaches the image.
FROM node:20-bookworm-slim AS frontend
WORKDIR /build/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY schema.graphql /build/
COPY frontend ./
RUN npm run build

FROM python:3.11-slim-bookworm
COPY --from=ghcr.io/astral-sh/uv:0.9 /uv /usr/local/bin/uv
WORKDIR /app
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy PATH="/app/.venv/bin:$PATH"
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY server server
COPY workers workers
COPY migrations migrations
COPY alembic.ini schema.graphql ./
COPY --from=frontend /build/frontend/dist frontend/dist
RUN uv sync --frozen --no-dev
RUN useradd --system --uid 1000 stonks
USER stonks
EXPOSE 8000
CMD ["stonks", "serve", "--host", "0.0.0.0"]
