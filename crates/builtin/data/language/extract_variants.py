"""Derive the two character lists that tell simplified from traditional Chinese.

Source: OpenCC's STCharacters.txt (simplified -> traditional) and TSCharacters.txt
(traditional -> simplified), Apache-2.0, as shipped by the opencc-purepy package.
A character is "simplified only" when converting it to traditional always changes it, and
"traditional only" when converting it to simplified always changes it; a character on both
sides of some pair (e.g. 干/乾/幹) is left out, since it says nothing about the script.
"""

import pathlib
import sys


def changed(path):
    out = set()
    for line in pathlib.Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        src, targets = line.split("\t")
        if src not in targets.split(" "):
            out.add(src)
    return out


def main(dicts):
    simp = changed(f"{dicts}/STCharacters.txt")
    trad = changed(f"{dicts}/TSCharacters.txt")
    both = simp & trad
    here = pathlib.Path(__file__).parent
    for name, chars in (("simplified_only.txt", simp - both), ("traditional_only.txt", trad - both)):
        (here / name).write_text("".join(sorted(chars)) + "\n", encoding="utf-8")
        print(name, len(chars - both))


if __name__ == "__main__":
    main(sys.argv[1])
