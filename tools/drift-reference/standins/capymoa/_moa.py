"""The java process holding MOA's trees, and the vote cache that saves round trips.

Per instance the authors' code asks each of the 12 experts for its votes, then trains three: the first vote
request fetches every tree's votes in one reply; a tree's cached votes are dropped when it trains, and
training is sent without waiting for a reply (the pipe keeps the order)."""
import os
import subprocess

_server = None
_votes_for = None
_votes = {}


def server():
    global _server
    if _server is None:
        source = os.environ["MOA_REF_SOURCE"].split(" ")
        classes = os.environ["MOA_REF_CLASSES"]
        _server = subprocess.Popen(["java", "-Xss8m", "-cp", classes, "MoaTreeServer", *source],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1 << 16)
    return _server


def call(line):
    s = server()
    s.stdin.write(line + "\n")
    s.stdin.flush()
    out = s.stdout.readline()
    if out == "" or out.startswith("ERR"):
        raise RuntimeError(f"MoaTreeServer: {line!r} -> {out!r} (exit code {s.poll()})")
    return out.rstrip("\n")


def lines(command, n):
    """The n reply lines of a command that answers with several (n ≥ 1)."""
    first = call(command)
    return [first] + [server().stdout.readline().rstrip("\n") for _ in range(n - 1)]


def _parse(part):
    return [float(t) for t in part.split(" ")] if part else []


def votes(tree_id, idx):
    global _votes_for, _votes
    if _votes_for != idx:
        _votes = dict(enumerate(_parse(part) for part in call(f"A {idx}").split("|")))
        _votes_for = idx
    if tree_id not in _votes:
        _votes[tree_id] = _parse(call(f"V {tree_id} {idx}"))
    return _votes[tree_id]


def trained(tree_id, idx):
    server().stdin.write(f"t {tree_id} {idx}\n")
    if _votes_for == idx:
        _votes.pop(tree_id, None)
    else:
        invalidate()


def invalidate():
    global _votes_for
    _votes_for = None
