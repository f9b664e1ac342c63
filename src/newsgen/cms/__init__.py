"""The browser CMS a build publishes at `/admin/` (`cms:` in newsgen.yaml): Decap CMS, configured from newsgen's own
front-matter contract so what a reporter saves is what `newsgen check` accepts."""
