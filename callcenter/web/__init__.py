"""The web layer: blueprints for Twilio's webhooks (and, later, staff and supervisor pages)."""
