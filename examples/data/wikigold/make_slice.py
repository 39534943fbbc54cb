#!/usr/bin/env python3
"""Cuts the wikigold slice the entity-recognizer flywheel examples use.

Run from anywhere: python3 examples/data/wikigold/make_slice.py [SOURCE]
SOURCE is the wikigold folder in Comprehend's formats (default: ../shared/data/wikigold
beside the repository). The cut is deterministic: the same source gives the same files.

- initial.txt: the first INITIAL documents of wikigold-train.txt (the first recognizer);
- new-data.txt: the NEW_DATA documents after them (the flywheel's new training data);
- test.txt: the first TEST documents of wikigold-test.txt (held out, never trained on);
- inference.txt: INFERENCE documents of wikigold-test.txt after the test slice, the
  first ones with at least two mentions each (text only, for DetectEntities and a job).

Each slice keeps its documents' lines verbatim; its annotations CSV
(File,Line,Begin Offset,End Offset,Type; Line zero-based, offsets in characters, End
exclusive) names the shipped file and the document's line within it.
"""
import csv
import os
import sys
from pathlib import Path

INITIAL, NEW_DATA, TEST, INFERENCE = 150, 650, 200, 5
HERE = Path(__file__).resolve().parent
SOURCE = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[2].parent / "shared" / "data" / "wikigold"
HEADER = ["File", "Line", "Begin Offset", "End Offset", "Type"]


def read(split):
    """The split's documents, and its mentions per line as (begin, end, type) tuples."""
    with open(SOURCE / f"wikigold-{split}.txt", encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    mentions = [[] for _ in lines]
    with open(SOURCE / f"wikigold-{split}-annotations.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            assert row["File"] == f"wikigold-{split}.txt", row
            mentions[int(row["Line"])].append((int(row["Begin Offset"]), int(row["End Offset"]), row["Type"]))
    return lines, mentions


def write(name, lines, mentions):
    """Writes <name>.txt and, with mentions, <name>-annotations.csv; returns the mention count."""
    with open(HERE / f"{name}.txt", "w", encoding="utf-8", newline="\n") as f:
        f.writelines(line + "\n" for line in lines)
    if mentions is None:
        return 0
    rows = [[f"{name}.txt", n, begin, end, kind]
            for n, line_mentions in enumerate(mentions) for begin, end, kind in sorted(line_mentions)]
    with open(HERE / f"{name}-annotations.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return len(rows)


def main():
    train, train_mentions = read("train")
    test, test_mentions = read("test")
    assert INITIAL + NEW_DATA <= len(train) and TEST < len(test)
    cuts = {
        "initial": (train[:INITIAL], train_mentions[:INITIAL]),
        "new-data": (train[INITIAL:INITIAL + NEW_DATA], train_mentions[INITIAL:INITIAL + NEW_DATA]),
        "test": (test[:TEST], test_mentions[:TEST]),
    }
    for name, (lines, mentions) in cuts.items():
        count = write(name, lines, mentions)
        print(f"{name}.txt: {len(lines)} documents, {count} mentions")
    rest = [n for n in range(TEST, len(test)) if len(test_mentions[n]) >= 2][:INFERENCE]
    write("inference", [test[n] for n in rest], None)
    print(f"inference.txt: {len(rest)} documents (wikigold-test.txt lines {rest})")
    total = sum(os.path.getsize(p) for p in HERE.iterdir() if p.is_file())
    print(f"{total} bytes in {HERE}")


if __name__ == "__main__":
    main()
