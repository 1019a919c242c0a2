"""Webhook delivery: signing schemes, the event envelope, the dispatcher, retries, circuit."""
