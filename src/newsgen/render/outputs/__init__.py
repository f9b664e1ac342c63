"""Pages that are not HTML: feeds, sitemaps, robots.txt, structured data, the schedule file."""
