"""Write a benchmark's table into its results file without losing earlier runs.

A results file is a level-2 heading (the topic) followed by dated level-3
sections, newest first. :class:`Record` puts this run's section right under
the heading and keeps everything that was there; calling
:meth:`Record.write` again (a long run writing its partial table after each
data set) replaces this run's section, not the older ones. A file whose
first line is another heading, or that does not exist yet, gets the heading
and keeps its old text below the new section.
"""

import datetime
import os
import sys
from pathlib import Path


def write_section(path, heading, table, command=None):
    """Put ``table`` into ``path`` as this run's section under ``heading``; returns the section.

    A first line ``## ...`` of ``table`` (a script's own title, which may
    carry the run's figures) becomes the section's bold first line.
    """
    lines = table.strip("\n").splitlines()
    if lines and lines[0].startswith("## "):
        lines[0] = f"**{lines[0][3:]}**"
    return Record(path, heading, command).write("\n".join(lines))


class Record:
    """The section of this run in ``path``, under the level-2 ``heading``.

    Parameters
    ----------
    path : str or Path
        The results file (``benchmarks/results/<topic>.md``).
    heading : str
        The topic's level-2 heading, without ``## ``.
    command : str, optional
        The command line to cite; by default ``python`` and ``sys.argv``.
    """

    def __init__(self, path, heading, command=None):
        self.path = Path(path)
        self.heading = f"## {heading}"
        self.command = command or " ".join(["python"] + sys.argv)
        self.started = datetime.datetime.now(datetime.timezone.utc)
        old = self.path.read_text() if self.path.exists() else ""
        lines = old.splitlines()
        if lines and lines[0].startswith("## "):  # the topic heading of an earlier run
            lines = lines[1:] if lines[0] == self.heading else [f"**{lines[0][3:]}**"] + lines[1:]
        self.older = "\n".join(lines).strip("\n")

    def title(self):
        """``### <date> <start>-<now> UTC: `<command>`, load <1-min load>``."""
        now = datetime.datetime.now(datetime.timezone.utc)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        return (f"### {self.started:%Y-%m-%d %H:%M}-{now:%H:%M} UTC: `{self.command}` "
                f"(1-minute load {load:.1f} when written)")

    def write(self, body):
        """Write the heading, this run's section with ``body`` and the older sections; returns the section."""
        section = f"{self.title()}\n\n{body.strip()}\n"
        parts = [self.heading, "", section]
        if self.older:
            parts += [self.older, ""]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text("\n".join(parts))
        return section
