"""Digital objects (issue 17): scans, photographs, PDF, audio and video, content-addressed in
the data folder, with derivatives, texts per language, a rights statement and an access rule."""
