"""The readers' wish wall: wishes for a book, an event or a service, supported by other
readers, moderated and answered in public by the staff (issue 18)."""
