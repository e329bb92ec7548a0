"""Events: lectures, clubs, story times with registration and a waitlist (issue 19)."""
