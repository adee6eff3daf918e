"""The project on disk, laid out exactly as the original Zerynth toolchain writes it."""

from zaws.project.thing_project import ThingProject, ThingRecord

__all__ = ["ThingProject", "ThingRecord"]
