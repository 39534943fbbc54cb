"""Reference for the syntax benchmark: TextBlob's PatternTagger (Brill's tagger as Pattern
implements it) on the same held-out set as examples/syntax_quality.rs, with the same metric
(universal-tag accuracy on the treebank's own tokens, gold AUX as VERB and X as O) and the time
per document of the whole analysis (tokenizing and tagging the document's text).

The set is the English Web Treebank test split (Universal Dependencies, CC BY-SA 4.0: not
shipped). The script locates it: the path given as its argument, else
target/syntax-bench/en_ewt-ud-test.conllu; obtain it from the UD_English-EWT release
(en_ewt-ud-test.conllu) and put it there. Needs `pip install textblob` (MIT).

Penn tags are mapped to universal tags with the same word-level rules as src/syntax/universal.rs
so that the taggers, not the mappings, are compared.

    /work/bench-venv/bin/python crates/builtin/benches/syntax_reference.py [FILE.conllu]
"""

import sys
import time
from pathlib import Path

from textblob.en import parser, tag as pattern_tag

SUBORDINATORS = {"because", "if", "although", "though", "whether", "unless", "whereas", "while", "that"}
CLAUSE_OR_PHRASE = {"after", "before", "since", "until", "till", "as", "once", "so"}
PRONOMINAL = {"this", "that", "these", "those", "both", "each", "either", "neither", "some", "any", "another", "none"}
INDEFINITE = {"something", "anything", "nothing", "everything", "someone", "anyone", "everyone",
              "noone", "somebody", "anybody", "nobody", "everybody"}
NOMINAL = {"NN", "NNS", "NNP", "NNPS", "JJ", "JJR", "JJS", "CD", "DT", "PRP$", "VBG", "RBS"}


def by_shape(word):
    if word and all(not c.isalnum() for c in word):
        if word[0] in "$%+=#^|~@/":
            return "SYM"
        if word[0] in ":;" and len(word) > 1:
            return "SYM"
        return "CCONJ" if word[0] == "&" else "PUNCT"
    if any(c.isdigit() for c in word) and not any(c.isalpha() for c in word):
        return "NUM"
    return None


def universal(word, penn, prev, nxt):
    shape = by_shape(word)
    if shape:
        return shape
    w = word.lower()
    if w in ("not", "n't", "nt"):
        return "PART"
    if w == "please":
        return "INTJ"
    if w in ("etc", "am", "pm") and penn != "VBP":
        return "NOUN"
    if w == "that" and prev in ("NN", "NNS", "NNP", "NNPS"):
        return "PRON"
    if w in INDEFINITE:
        return "PRON"
    if penn == "CC":
        return "CCONJ"
    if penn in ("CD", "LS"):
        return "NUM"
    if penn == "DT" and w in PRONOMINAL and nxt not in NOMINAL:
        return "PRON"
    if penn in ("DT", "PDT"):
        return "DET"
    if penn in ("EX", "PRP", "PRP$", "WP", "WP$"):
        return "PRON"
    if penn == "FW":
        return "O"
    if penn == "IN" and (nxt == "VBG" or w in SUBORDINATORS or (w in CLAUSE_OR_PHRASE and nxt in ("PRP", "EX", "NNP", "DT", "NNS", "WP"))):
        return "SCONJ"
    if penn in ("IN", "RP"):
        return "ADP"
    if penn.startswith("JJ"):
        return "ADJ"
    if penn == "MD" or penn.startswith("VB"):
        return "VERB"
    if penn in ("NN", "NNS"):
        return "NOUN"
    if penn.startswith("NNP"):
        return "PROPN"
    if penn == "POS":
        return "PART"
    if penn.startswith("RB") or penn == "WRB":
        return "ADV"
    if penn in ("SYM", "$", "#"):
        return "SYM"
    if penn == "TO":
        return "PART" if nxt.startswith("VB") or nxt == "RB" else "ADP"
    if penn == "UH":
        return "INTJ"
    if penn == "WDT":
        return "DET" if nxt in NOMINAL else "PRON"
    return "O"


def read(path):
    docs, sentence, text = [[]], [], ""
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("# newdoc") and docs[-1]:
            docs.append([])
        elif line.startswith("# text = "):
            text = line[len("# text = "):]
        elif not line and sentence:
            docs[-1].append((text, sentence))
            sentence = []
        else:
            cells = line.split("\t")
            if len(cells) > 3 and cells[0].isdigit():
                gold = {"AUX": "VERB", "X": "O"}.get(cells[3], cells[3])
                sentence.append((cells[1], gold))
    return [d for d in docs if d]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "target/syntax-bench/en_ewt-ud-test.conllu"
    if not Path(path).exists():
        sys.exit(f"{path}: missing — put UD_English-EWT's en_ewt-ud-test.conllu there (not shipped: CC BY-SA)")
    docs = read(path)
    right = total = 0
    for _, tokens in (s for d in docs for s in d):
        words = [w for w, _ in tokens]
        tagged = pattern_tag(" ".join(words), tokenize=False)
        penn = [t for _, t in tagged]
        if len(penn) != len(words):  # the untokenized path re-splits nothing, but be safe
            penn = [t for _, t in parser.find_tags(words)]
        for i, (word, gold) in enumerate(tokens):
            prev = penn[i - 1] if i > 0 else ""
            nxt = penn[i + 1] if i + 1 < len(penn) else ""
            right += universal(word, penn[i], prev, nxt) == gold
            total += 1
    texts = [" ".join(t for t, _ in d) for d in docs]
    pattern_tag("warm up")
    rounds = 2
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            pattern_tag(text)
    per_doc = (time.perf_counter() - start) / (rounds * len(texts))
    print(f"set: {path}")
    print(f"documents: {len(docs)}, gold tokens: {total}")
    print(f"TextBlob PatternTagger accuracy (gold tokens, AUX→VERB, X→O): {right / total:.4f}")
    print(f"time per document (tag on the document's text): {per_doc * 1e6:.1f} µs")


if __name__ == "__main__":
    main()
