"""What builds keep for later builds: the article cache (local, shared and remote), its data-only codec, file digests."""
