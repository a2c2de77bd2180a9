"""Small helpers shared by every service, the sandboxes included: no models, no app imports.

Only what is truly the same everywhere belongs here (design §3); anything that knows a
service's data stays in that service's app.
"""
