# gospablik: API + web pages (and, with the worker command, a batch worker).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    GOSPABLIK_MODELS_DIR=/app/models \
    GOSPABLIK_DATA_DIR=/data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
COPY training ./training
COPY models ./models
RUN pip install --no-cache-dir ".[fast]" \
    && useradd --create-home --uid 1000 gospablik \
    && mkdir -p /data && chown gospablik /data && chown -R gospablik /app/models
USER gospablik

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
# Without REDIS_URL the service starts an embedded Redis and local workers;
# in production set REDIS_URL and run workers separately (docker-compose.yml).
CMD ["gospablik", "serve", "--host", "0.0.0.0", "--port", "8000"]
