"""presidio-analyzer's pattern recognizers on the PII quality set, scored like
examples/pii_quality.rs: exact spans (type, begin, end in code points), per type and overall,
and the time per document.

    /work/bench-venv/bin/python crates/builtin/benches/pii_reference.py [set.jsonl] [min_score]

The recognizers are called directly (no spaCy, so no context enhancement); presidio's entity
names are mapped to Comprehend's; overlaps are resolved as comprehend-builtin resolves them
(longer span first, then higher score). Types presidio has no recognizer for count as misses.
"""

import json
import os
import sys
import time
from collections import Counter, defaultdict

import tldextract

# No network: tldextract (behind presidio's e-mail and URL checks) would fetch the public
# suffix list; its bundled snapshot serves.
tldextract.extract = tldextract.TLDExtract(suffix_list_urls=())
import tldextract.tldextract  # noqa: E402
tldextract.tldextract.TLD_EXTRACTOR = tldextract.extract

from presidio_analyzer import predefined_recognizers as pr  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SET = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "data", "pii", "pii_set.jsonl")
MIN_SCORE = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0

TO_COMPREHEND = {
    "CREDIT_CARD": "CREDIT_DEBIT_NUMBER",
    "IBAN_CODE": "INTERNATIONAL_BANK_ACCOUNT_NUMBER",
    "US_SSN": "SSN",
    "US_ITIN": "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER",
    "EMAIL_ADDRESS": "EMAIL",
    "URL": "URL",
    "IP_ADDRESS": "IP_ADDRESS",
    "MAC_ADDRESS": "MAC_ADDRESS",
    "PHONE_NUMBER": "PHONE",
    "DATE_TIME": "DATE_TIME",
    "ABA_ROUTING_NUMBER": "BANK_ROUTING",
    "US_BANK_NUMBER": "BANK_ACCOUNT_NUMBER",
    "US_PASSPORT": "PASSPORT_NUMBER",
    "UK_PASSPORT": "PASSPORT_NUMBER",
    "IN_PASSPORT": "PASSPORT_NUMBER",
    "US_DRIVER_LICENSE": "DRIVER_ID",
    "UK_DRIVING_LICENCE": "DRIVER_ID",
    "CA_SIN": "CA_SOCIAL_INSURANCE_NUMBER",
    "UK_NINO": "UK_NATIONAL_INSURANCE_NUMBER",
    "UK_NHS": "UK_NATIONAL_HEALTH_SERVICE_NUMBER",
    "IN_AADHAAR": "IN_AADHAAR",
    "IN_PAN": "IN_PERMANENT_ACCOUNT_NUMBER",
    "IN_VOTER": "IN_VOTER_NUMBER",
    "UK_VEHICLE_REGISTRATION": "LICENSE_PLATE",
    "IN_VEHICLE_REGISTRATION": "LICENSE_PLATE",
}

CLASSES = [
    "CreditCardRecognizer", "IbanRecognizer", "UsSsnRecognizer", "UsItinRecognizer",
    "EmailRecognizer", "UrlRecognizer", "IpRecognizer", "MacAddressRecognizer", "PhoneRecognizer",
    "DateRecognizer", "AbaRoutingRecognizer", "UsBankRecognizer", "UsPassportRecognizer",
    "UkPassportRecognizer", "InPassportRecognizer", "UsLicenseRecognizer",
    "UkDrivingLicenceRecognizer", "CaSinRecognizer", "UkNinoRecognizer", "NhsRecognizer",
    "InAadhaarRecognizer", "InPanRecognizer", "InVoterRecognizer",
    "UkVehicleRegistrationRecognizer", "InVehicleRegistrationRecognizer",
]


def recognizers():
    out = []
    for name in CLASSES:
        cls = getattr(pr, name, None)
        if cls is None:
            print(f"(presidio has no {name})", file=sys.stderr)
            continue
        out.append(cls())
    return out


def detect(recs, text):
    found = []
    for rec in recs:
        for r in rec.analyze(text, rec.supported_entities, None) or []:
            kind = TO_COMPREHEND.get(r.entity_type)
            if kind and r.score >= MIN_SCORE and r.end > r.start:
                found.append((kind, r.start, r.end, r.score))
    found.sort(key=lambda f: (-(f[2] - f[1]), -f[3], f[1]))
    kept = []
    for f in found:
        if all(f[2] <= k[1] or k[2] <= f[1] for k in kept):
            kept.append(f)
    return {(k, b, e) for k, b, e, _ in kept}


def main():
    docs = [json.loads(line) for line in open(SET, encoding="utf-8") if line.strip()]
    recs = recognizers()
    detect(recs, "warm up 4111 1111 1111 1111, (206) 555-0142")
    started = time.perf_counter()
    found = [detect(recs, d["text"]) for d in docs]
    elapsed = time.perf_counter() - started
    counts = defaultdict(Counter)
    for d, f in zip(docs, found):
        gold = {(e["type"], e["begin"], e["end"]) for e in d["entities"]}
        for e in gold | f:
            counts[e[0]]["tp" if e in gold and e in f else "fp" if e in f else "fn"] += 1
    report(counts, len(docs), elapsed)


def line(name, c):
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"{name:<40} {c['tp']:>5} {c['fp']:>5} {c['fn']:>5}  {p:.3f}  {r:.3f}  {f:.3f}"


def report(counts, ndocs, elapsed):
    print(f"{'type':<40} {'tp':>5} {'fp':>5} {'fn':>5}  prec   rec    f1")
    structured, names, covered = Counter(), Counter(), Counter()
    for kind in sorted(counts):
        print(line(kind, counts[kind]))
        (names if kind in ("NAME", "ADDRESS") else structured).update(counts[kind])
        if kind in TO_COMPREHEND.values():
            covered.update(counts[kind])
    print(line("OVERALL structured types", structured))
    print(line("OVERALL types presidio covers", covered))
    if sum(names.values()):
        print(line("OVERALL NAME/ADDRESS", names))
    print(f"documents: {ndocs}, min score {MIN_SCORE}, time per document: {elapsed * 1e6 / ndocs:.1f} µs")


if __name__ == "__main__":
    main()
