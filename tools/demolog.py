"""Read a demo boot log as /init wrote it.

The kernel's console messages and /init's output share the serial line: a
message printed while /init is in the middle of a line lands inside it
("@@bench ... tables=30[   21.879317] hrtimer: interrupt took ...") and the
rest of /init's line follows the message's newline. read() takes such
messages out and joins the line back; messages at the start of a line
stay where they are.
"""
import re

# a kernel message ("[ seconds.micros] text", to its newline) that starts
# after other text on its line
_INSIDE = re.compile(r"(?<=[^\n])\[ *\d+\.\d{6}\] [^\n]*\n")


def read(path):
    with open(path, errors="replace") as f:
        text = f.read().replace("\r\n", "\n")
    return _INSIDE.sub("", text)
