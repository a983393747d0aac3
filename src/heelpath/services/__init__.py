"""Services: case validation, assessment, triage, next steps, interview and text intake."""
