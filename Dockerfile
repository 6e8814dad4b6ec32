# gospablik: API + web pages (and, with the worker command, a batch worker).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    GOSPABLIK_MODELS_DIR=/app/models \
    GOSPABLIK_DATA_DIR=/data

# The code is installed as a package (read-only for the service user); the sources are not kept.
COPY pyproject.toml README.md /src/
COPY service /src/service
COPY training /src/training
RUN pip install --no-cache-dir "/src[fast]" && rm -rf /src \
    && useradd --create-home --uid 1000 gospablik \
    && mkdir -p /data && chown gospablik /data
WORKDIR /app
# Models: `gospablik train` writes new versions here, so the service user owns them.
COPY --chown=gospablik models ./models
USER gospablik
# The embedded Redis (queue, batch results) and the history live here: keep it on a volume.
VOLUME /data

EXPOSE 8000
# One check for both roles: `gospablik worker` — a live worker of this container in Redis,
# anything else — the API's /healthz (service/jobs/health.py).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-m", "service.jobs.health"]
# SIGTERM (docker stop) stops everything within ~7 s: a running chunk is finished or handed
# back to the queue. Without REDIS_URL the service starts an embedded Redis and local workers;
# in production set REDIS_URL and run workers separately (docker-compose.yml).
CMD ["gospablik", "serve", "--host", "0.0.0.0", "--port", "8000"]
