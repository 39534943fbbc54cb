#!/usr/bin/env python3
"""Writes a synthetic custom-entity corpus in Comprehend's plain-text formats, for the
training-memory benchmark: N training documents (one per line) with an annotations CSV,
and N/10 test documents, over made-up words and PER/LOC/ORG/MISC names (vocabulary fixed,
so the feature table stops growing while the document count does).

usage: make_ner_corpus.py N[xK] OUT_DIR   (writes OUT_DIR/wikigold-{train,test}.txt and
       OUT_DIR/wikigold-{train,test}-annotations.csv, the names the wikigold example reads)

With xK the N training documents are written K times over: K times the documents with the
feature table of N, which separates memory that grows with documents from memory that grows
with the vocabulary.
"""
import csv, random, sys, os
n, _, k = sys.argv[1].partition("x"); n, k = int(n), int(k or 1)
out = sys.argv[2]; os.makedirs(out, exist_ok=True)
rng = random.Random(7)
syll = ["ka","lo","mi","ra","to","ne","su","vi","da","pe","ri","go","ban","tor","lin","mar","zen","qua"]
def name(k): return "".join(rng.choice(syll) for _ in range(k)).capitalize()
PER=[name(2)+" "+name(3) for _ in range(20000)]; LOC=[name(3) for _ in range(5000)]; ORG=[name(2)+" Corp" for _ in range(5000)]
words=[name(2).lower() for _ in range(30000)]
def doc():
    toks=[]; spans=[]; text=""
    for i in range(rng.randint(8,30)):
        r=rng.random()
        if r<0.06: v,t=rng.choice(PER),"PER"
        elif r<0.10: v,t=rng.choice(LOC),"LOC"
        elif r<0.13: v,t=rng.choice(ORG),"ORG"
        elif r<0.14: v,t=rng.choice(LOC)+"ian","MISC"
        else: v,t=rng.choice(words),None
        if text: text+=" "
        if t: spans.append((len(text),len(text)+len(v),t))
        text+=v
    return text+" .", spans
for split,m in (("train",n),("test",max(n//10,100))):
    with open(f"{out}/wikigold-{split}.txt","w") as d, open(f"{out}/wikigold-{split}-annotations.csv","w",newline="") as a:
        w=csv.writer(a); w.writerow(["File","Line","Begin Offset","End Offset","Type"])
        docs=[doc() for _ in range(m)]
        for i in range(m * (k if split == "train" else 1)):
            t,s=docs[i % m]; d.write(t+"\n")
            for b,e,ty in s: w.writerow([f"wikigold-{split}.txt",i,b,e,ty])
