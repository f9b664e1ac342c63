"""The output folder: written all or nothing (staging, journal), one build at a time (lock), and the last build's outcome."""
