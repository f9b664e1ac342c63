"""Stage 3: every page as a typed spec, the Jinja environment that records what a page loads, and the bytes."""
