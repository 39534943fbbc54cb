"""Assemble the labelled language-ID set (sentences.tsv) from the hand-written src_*.txt files.

The sentences were written for this project (CC0). The zh-TW rows are the zh rows converted to
Taiwan traditional characters and phrasing with OpenCC's s2twp dictionaries (opencc-purepy,
dictionaries Apache-2.0). Run with /work/bench-venv/bin/python (needs opencc-purepy).
"""

import pathlib

from opencc_purepy import OpenCC

HERE = pathlib.Path(__file__).parent
SERVICE = ["en", "es", "fr", "de", "it", "pt", "ar", "hi", "ja", "ko", "zh"]


def lines(path):
    return [l.strip() for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]


def main():
    rows = []
    for code in SERVICE:
        rows += [(code, s) for s in lines(HERE / f"src_{code}.txt")]
    s2twp = OpenCC("s2twp")
    rows += [("zh-TW", s2twp.convert(s)) for s in lines(HERE / "src_zh.txt")]
    rows += [tuple(l.split("\t", 1)) for l in lines(HERE / "src_other.txt")]
    with open(HERE / "sentences.tsv", "w", encoding="utf-8") as out:
        out.write("lang\ttext\n")
        for code, text in rows:
            out.write(f"{code}\t{text}\n")


if __name__ == "__main__":
    main()
