"""Article bodies: Markdown engines and the rules every body follows (figures, links, images, typography, sanitising)."""
