"""Stage 1: find the site's files, split and type their front matter, and read each into a validated Article."""
