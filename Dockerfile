# One image runs every role: web (gunicorn), worker (python -m workers), migrations (flask db upgrade).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY callcenter callcenter
COPY workers workers
COPY config config
RUN useradd --system --uid 10001 helpline
USER helpline
ENV CALLCENTER_BIND=0.0.0.0:8000
EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "callcenter:create_app()"]
