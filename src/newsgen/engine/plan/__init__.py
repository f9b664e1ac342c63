"""Planning a build: which pages to bring up to date (the quick way, a new story's way, the whole way), and the one loop that does it."""
