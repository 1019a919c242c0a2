"""``make bench``: throughput and latency, each printed beside a same-run baseline."""
