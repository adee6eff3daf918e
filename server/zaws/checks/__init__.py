"""Diagnostics for a project's `thing.conf.json`, as pure functions over its text and the project.

Each check returns `Finding`s (offsets into the text, severity, stable code, message); the language
server turns them into LSP diagnostics. Nothing here knows LSP, and nothing here talks to AWS except
`zaws.checks.remote`, which the server runs in the background.
"""
