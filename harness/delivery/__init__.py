"""Webhook delivery: signing schemes, the event envelope, the dispatcher with retries and circuit."""
