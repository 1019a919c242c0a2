"""Load generation against the user's webhook handler: fresh signed deliveries built from the
fixture corpus (:mod:`.payloads`), an open-model run at a fixed arrival rate (:mod:`.run`), its
report (:mod:`.report`), and a Locust user class for several machines (``locustfile.py``,
loaded only by Locust)."""
