"""The project on disk, laid out exactly as the original Zerynth toolchain writes it.

Import the modules themselves (`zaws.project.thing_project`, ...): this package imports nothing,
so no module of it can meet a half-initialised package when two threads import at once (the
language server warms its imports up on a thread while requests run on others).
"""
