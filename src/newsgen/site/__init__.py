"""Stage 2: what is published and where: embargo, taxonomies, series, pagination, URLs and collisions, related."""
