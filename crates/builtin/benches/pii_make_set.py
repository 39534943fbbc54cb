"""Generates the PII quality set: English and Spanish sentences holding PII values of every
structured type with known code-point spans, plus look-alikes that must NOT be found
(Luhn-invalid cards, IBANs with a wrong check, unissued SSNs, bare numbers without their label).

Values come from Faker where Faker produces valid ones, and from the published check-digit
rules otherwise (VIN, Aadhaar, NHS, NINO...). Fixed seed: the output is reproducible.

    /work/bench-venv/bin/python crates/builtin/benches/pii_make_set.py \
        > crates/builtin/benches/data/pii/pii_set.jsonl
"""

import json
import random
import string
import sys

import phonenumbers
from faker import Faker

SEED = 20240605
rng = random.Random(SEED)
Faker.seed(SEED)
fake = Faker("en_US")
fake_es = Faker("es_ES")
fake_gb = Faker("en_GB")
fake_in = Faker("en_IN")
EMOJI = ["😀", "👍", "🎉", "🙏", "🚀", "❤️", "🇪🇸"]


# --- check digits (written from the published rules) -------------------------------------
def luhn_ok(s):
    d = [int(c) for c in s if c.isdigit()][::-1]
    return sum(x if i % 2 == 0 else (x * 2 - 9 if x * 2 > 9 else x * 2) for i, x in enumerate(d)) % 10 == 0


def luhn_complete(prefix):
    return next(prefix + str(k) for k in range(10) if luhn_ok(prefix + str(k)))


VD = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
      [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
      [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
      [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
VP = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4]]
for _ in range(6):
    VP.append([VP[-1][VP[1][j]] for j in range(10)])


def verhoeff_ok(s):
    c = 0
    for i, x in enumerate(int(ch) for ch in reversed(s)):
        c = VD[c][VP[i % 8][x]]
    return c == 0


def aadhaar(valid=True):
    while True:
        base = str(rng.randint(2, 9)) + "".join(rng.choice(string.digits) for _ in range(10))
        ok = [base + str(k) for k in range(10) if verhoeff_ok(base + str(k)) == valid]
        n = rng.choice(ok)
        sep = rng.choice([" ", "", "-"])
        return f"{n[:4]}{sep}{n[4:8]}{sep}{n[8:]}"


def nhs(valid=True):
    while True:
        d = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(x * w for x, w in zip(d, range(10, 1, -1))) % 11
        check = 0 if check == 11 else check
        if check == 10:
            continue
        if not valid:
            check = (check + rng.randint(1, 9)) % 10
        s = "".join(map(str, d)) + str(check)
        if not valid and phonenumbers.is_valid_number(phonenumbers.parse(s, "US")):
            continue  # a wrong NHS number that is a real US phone number is ambiguous
        sep = rng.choice([" ", "", "-"])
        return f"{s[:3]}{sep}{s[3:6]}{sep}{s[6:]}"


VIN_W = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
VIN_T = {**{str(i): i for i in range(10)}, **dict(zip("ABCDEFGH", range(1, 9))),
         **dict(zip("JKLMN", range(1, 6))), "P": 7, "R": 9, **dict(zip("STUVWXYZ", range(2, 10)))}


def vin(valid=True):
    chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    v = [rng.choice(chars) for _ in range(17)]
    v[0] = rng.choice("12345JKLSWZ")
    total = sum(VIN_T[c] * w for c, w in zip(v, VIN_W))
    check = "X" if total % 11 == 10 else str(total % 11)
    if not valid:
        check = rng.choice([c for c in "0123456789X" if c != check])
    v[8] = check
    return "".join(v)


def nino(valid=True):
    first = "ABCEGHJKLMNOPRSTWXYZ"
    second = "ABCEGHJKLMNPRSTWXYZ"
    while True:
        p = rng.choice(first) + rng.choice(second)
        if p not in {"BG", "GB", "NK", "KN", "NT", "TN", "ZZ"}:
            break
    if not valid:
        p = rng.choice(["GB", "BG", "NK", "TN"])
    n = "".join(rng.choice(string.digits) for _ in range(6))
    sep = rng.choice([" ", ""])
    return f"{p}{sep}{n[:2]}{sep}{n[2:4]}{sep}{n[4:]}{sep}{rng.choice('ABCD')}"


def iban(valid=True):
    code = fake_gb.iban() if rng.random() < 0.4 else fake.iban() if rng.random() < 0.5 else Faker("de_DE").iban()
    if not valid:
        i = rng.randrange(4, len(code))
        code = code[:i] + str((int(code[i]) + 1) % 10) + code[i + 1:] if code[i].isdigit() else code[:3] + str((int(code[3]) + 1) % 10) + code[4:]
    if rng.random() < 0.5:
        code = " ".join(code[i:i + 4] for i in range(0, len(code), 4))
    return code


def card(valid=True):
    kind = rng.choice(["visa16", "mastercard", "amex", "discover", "jcb16", "visa16", "mastercard"])
    while True:
        n = fake.credit_card_number(card_type=kind)
        # Faker's JCB numbers start anywhere in 35xx; JCB's issued range is 3528-3589.
        if not n.startswith("35") or 3528 <= int(n[:4]) <= 3589:
            break
    if not valid:
        n = n[:-1] + str((int(n[-1]) + rng.randint(1, 9)) % 10)
    sep = rng.choice(["", " ", "-"])
    if len(n) == 15:
        return f"{n[:4]}{sep}{n[4:10]}{sep}{n[10:]}"
    return sep.join(n[i:i + 4] for i in range(0, len(n), 4))


def ssn(valid=True):
    if valid:
        while True:
            s = fake.ssn()
            if not s.startswith(("000", "666", "9")) and s[4:6] != "00" and s[7:] != "0000":
                return s
    return rng.choice(["000", "666", "9" + str(rng.randint(10, 99))]) + f"-{rng.randint(10, 49):02d}-{rng.randint(1, 9999):04d}" if rng.random() < 0.7 \
        else f"{rng.randint(100, 665)}-00-{rng.randint(1, 9999):04d}"


def itin():
    group = rng.choice(list(range(50, 66)) + list(range(70, 89)) + [90, 91, 92] + list(range(94, 100)))
    return f"9{rng.randint(0, 99):02d}-{group}-{rng.randint(0, 9999):04d}"


def sin():
    while True:
        s = luhn_complete(str(rng.choice([1, 2, 3, 4, 5, 6, 7, 9])) + "".join(rng.choice(string.digits) for _ in range(7)))
        sep = rng.choice([" ", "-"])
        return f"{s[:3]}{sep}{s[3:6]}{sep}{s[6:]}"


def aba():
    while True:
        r = fake.aba()
        if int(r[:2]) in set(range(0, 13)) | set(range(21, 33)) | set(range(61, 73)) | {80}:
            return r


def us_phone():
    while True:
        n = f"{rng.randint(201, 989)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(n, "US")):
            break
    a, b, c = n[:3], n[3:6], n[6:]
    return rng.choice([f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"+1 {a} {b} {c}", f"{a} {b} {c}", f"1-{a}-{b}-{c}"])


def intl_phone():
    while True:
        n = rng.choice([fake_es, fake_gb]).phone_number()
        if n.startswith("+"):
            try:
                if phonenumbers.is_valid_number(phonenumbers.parse(n, None)):
                    return n
            except phonenumbers.NumberParseException:
                pass


def date_en():
    d = fake.date_object()
    return rng.choice([d.strftime("%B %-d, %Y"), d.strftime("%m/%d/%Y"), d.strftime("%Y-%m-%d"), d.strftime("%-d %B %Y"), d.strftime("%b %-d")])


MESES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"]


def date_es():
    d = fake.date_object()
    return rng.choice([f"{d.day} de {MESES[d.month - 1]} de {d.year}", d.strftime("%d/%m/%Y")])


def time_en():
    return rng.choice([f"{rng.randint(1, 12)}:{rng.randint(0, 59):02d} {rng.choice(['AM', 'PM', 'am', 'pm'])}", f"{rng.randint(1, 12)} {rng.choice(['am', 'pm'])}", f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"])


def aws_key():
    return rng.choice(["AKIA", "ASIA"]) + "".join(rng.choice(string.ascii_uppercase + "234567") for _ in range(16))


def aws_secret():
    while True:
        s = "".join(rng.choice(string.ascii_letters + string.digits + "/+") for _ in range(40))
        if any(c.isupper() for c in s) and any(c.islower() for c in s) and any(c.isdigit() for c in s):
            return s


def swift():
    bank = "".join(rng.choice(string.ascii_uppercase) for _ in range(4))
    country = rng.choice(["DE", "GB", "US", "ES", "FR", "IN", "CA", "MX"])
    loc = rng.choice(string.ascii_uppercase) + rng.choice(string.digits + string.ascii_uppercase)
    return bank + country + loc + rng.choice(["", "XXX", "".join(rng.choice(string.digits) for _ in range(3))])


def plate():
    return rng.choice([f"{rng.randint(1, 9)}{''.join(rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ') for _ in range(3))}{rng.randint(100, 999)}",
                       f"{''.join(rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ') for _ in range(3))}-{rng.randint(1000, 9999)}",
                       f"{rng.randint(1000, 9999)} {''.join(rng.choice('BCDFGHJKLMNPRSTVWXYZ') for _ in range(3))}"])


def nrega():
    st = rng.choice(["AP", "RJ", "UP", "MP", "WB", "OR", "KA", "TN", "BH"])
    return f"{st}-{rng.randint(1, 99):02d}-{rng.randint(1, 999):03d}-{rng.randint(1, 999):03d}-{rng.randint(1, 999):03d}/{rng.randint(1, 9999)}"


def voter():
    return "".join(rng.choice(string.ascii_uppercase) for _ in range(3)) + "".join(rng.choice(string.digits) for _ in range(7))


def digits(n):
    return str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in range(n - 1))


def password():
    return fake.password(length=rng.randint(8, 14))


# Templates: (type, language, template with {v}, value maker). One PII value per template.
T = [
    ("CREDIT_DEBIT_NUMBER", "en", "Please charge my card {v} for the order.", card),
    ("CREDIT_DEBIT_NUMBER", "en", "The Visa ending in the number {v} was declined.", card),
    ("CREDIT_DEBIT_NUMBER", "es", "Pague con la tarjeta {v} ayer.", card),
    ("CREDIT_DEBIT_CVV", "en", "The CVV on the back is {v}.", lambda: fake.credit_card_security_code()),
    ("CREDIT_DEBIT_CVV", "es", "El código de seguridad es {v}.", lambda: str(rng.randint(100, 999))),
    ("CREDIT_DEBIT_EXPIRY", "en", "It expires {v}, so renew it soon.", lambda: fake.credit_card_expire()),
    ("CREDIT_DEBIT_EXPIRY", "es", "La tarjeta vence el {v}.", lambda: fake.credit_card_expire()),
    ("PIN", "en", "Enter your PIN {v} at the ATM.", lambda: digits(4)),
    ("PIN", "en", "My new PIN is {v}.", lambda: digits(rng.choice([4, 6]))),
    ("PIN", "es", "El PIN de la tarjeta es {v}.", lambda: digits(4)),
    ("BANK_ACCOUNT_NUMBER", "en", "Deposit it into account number {v} please.", lambda: digits(rng.randint(8, 12))),
    ("BANK_ACCOUNT_NUMBER", "es", "Mi número de cuenta es {v}.", lambda: digits(rng.randint(8, 12))),
    ("BANK_ROUTING", "en", "Our routing number is {v}.", aba),
    ("BANK_ROUTING", "en", "Use ABA {v} for wires.", aba),
    ("INTERNATIONAL_BANK_ACCOUNT_NUMBER", "en", "Wire the funds to IBAN {v} by Friday.", iban),
    ("INTERNATIONAL_BANK_ACCOUNT_NUMBER", "es", "Transfiera a la cuenta {v} hoy.", iban),
    ("SWIFT_CODE", "en", "The SWIFT code is {v}.", swift),
    ("SWIFT_CODE", "en", "BIC: {v}", swift),
    ("EMAIL", "en", "Write to {v} with questions.", lambda: fake.email()),
    ("EMAIL", "es", "Escríbeme a {v} mañana.", lambda: fake_es.email()),
    ("PHONE", "en", "Call me at {v} tonight.", us_phone),
    ("PHONE", "en", "You can reach the office on {v}.", us_phone),
    ("PHONE", "es", "Mi teléfono es {v}.", intl_phone),
    ("SSN", "en", "His SSN is {v}.", ssn),
    ("SSN", "en", "Social security number: {v}", ssn),
    ("US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER", "en", "File with ITIN {v} this year.", itin),
    ("DATE_TIME", "en", "The meeting moved to {v}.", date_en),
    ("DATE_TIME", "en", "She was born on {v}.", date_en),
    ("DATE_TIME", "en", "Let's meet at {v} in the lobby.", time_en),
    ("DATE_TIME", "es", "La cita es el {v}.", date_es),
    ("PASSPORT_NUMBER", "en", "My passport number is {v}.", lambda: fake.passport_number()),
    ("PASSPORT_NUMBER", "es", "El número de pasaporte es {v}.", lambda: rng.choice(string.ascii_uppercase) + digits(8)),
    ("DRIVER_ID", "en", "Driver's license number {v} was suspended.", lambda: rng.choice(string.ascii_uppercase) + digits(7)),
    ("DRIVER_ID", "es", "Mi licencia de conducir es {v}.", lambda: digits(9)),
    ("URL", "en", "Visit {v} for details.", lambda: fake.url() + rng.choice(["", "about", "p?id=" + digits(3)])),
    ("URL", "es", "Más información en {v} hoy.", lambda: fake_es.url()),
    ("AGE", "en", "The patient is {v} old.", lambda: f"{rng.randint(2, 99)} years"),
    ("AGE", "es", "Mi abuela tiene {v} y vive sola.", lambda: f"{rng.randint(60, 99)} años"),
    ("USERNAME", "en", "My username is {v} on the forum.", lambda: fake.user_name()),
    ("USERNAME", "es", "Mi usuario es {v} en el portal.", lambda: fake_es.user_name()),
    ("PASSWORD", "en", "The password is {v} so keep it safe.", password),
    ("PASSWORD", "es", "La contraseña es {v} y no la compartas.", password),
    ("AWS_ACCESS_KEY", "en", "Rotate the access key {v} today.", aws_key),
    ("AWS_SECRET_KEY", "en", "aws_secret_access_key = {v}", aws_secret),
    ("AWS_SECRET_KEY", "en", "The secret key is {v} and must not leak.", aws_secret),
    ("IP_ADDRESS", "en", "Requests came from {v} overnight.", lambda: fake.ipv4() if rng.random() < 0.6 else fake.ipv6()),
    ("MAC_ADDRESS", "en", "The device MAC is {v}.", lambda: fake.mac_address().upper() if rng.random() < 0.5 else fake.mac_address()),
    ("LICENSE_PLATE", "en", "A car with license plate {v} was towed.", plate),
    ("LICENSE_PLATE", "es", "El coche con matrícula {v} está mal aparcado.", plate),
    ("VEHICLE_IDENTIFICATION_NUMBER", "en", "The VIN {v} matches the title.", vin),
    ("VEHICLE_IDENTIFICATION_NUMBER", "en", "Chassis {v} was recalled.", vin),
    ("UK_NATIONAL_INSURANCE_NUMBER", "en", "My national insurance number is {v}.", nino),
    ("CA_SOCIAL_INSURANCE_NUMBER", "en", "Her SIN is {v}.", sin),
    ("CA_HEALTH_NUMBER", "en", "Ontario health card number {v} is on file.", lambda: digits(10)),
    ("UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER", "en", "Quote your UTR {v} on the return.", lambda: digits(10)),
    ("UK_NATIONAL_HEALTH_SERVICE_NUMBER", "en", "NHS number {v} was verified.", nhs),
    ("IN_AADHAAR", "en", "Aadhaar {v} is linked to the account.", aadhaar),
    ("IN_PERMANENT_ACCOUNT_NUMBER", "en", "PAN {v} appears on the form.", lambda: fake_in.pan()),
    ("IN_NREGA", "en", "The NREGA job card {v} was renewed.", nrega),
    ("IN_VOTER_NUMBER", "en", "His voter ID is {v}.", voter),
]

# Look-alikes that must not be found: (language, text).
NEG = [
    ("en", lambda: f"My card number is {card(False)}, is that right?"),
    ("en", lambda: f"Wire to IBAN {iban(False)} please."),
    ("en", lambda: f"The SSN {ssn(False)} was rejected as invalid."),
    ("en", lambda: f"We sold {digits(4)} units last quarter."),
    ("en", lambda: f"Order {digits(9)} shipped with {rng.randint(2, 40)} items."),
    ("en", lambda: f"Upgrade to version {rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(10, 30)} now."),
    ("en", lambda: f"Ping {rng.randint(256, 999)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(0, 255)} fails."),
    ("en", lambda: f"The VIN {vin(False)} failed the check."),
    ("en", lambda: f"Aadhaar {aadhaar(False)} is not valid."),
    ("en", lambda: f"NHS number {nhs(False)} failed validation."),
    ("en", lambda: f"NI number {nino(False)} is not issued."),
    ("en", lambda: "The DEADLINE for the CONTRACT is near."),
    ("en", lambda: f"Room {digits(3)} on floor {rng.randint(1, 20)}."),
    ("en", lambda: f"Key akia{''.join(rng.choice(string.ascii_lowercase) for _ in range(16))} is lowercase junk."),
    ("es", lambda: f"Vendimos {digits(4)} unidades en {digits(3)} tiendas."),
    ("es", lambda: f"La tarjeta {card(False)} no es válida."),
]


def filler(lang):
    return (fake_es if lang == "es" else fake).sentence(nb_words=rng.randint(4, 10))


def document():
    lang = "es" if rng.random() < 0.25 else "en"
    parts, entities, pos = [], [], 0

    def add(text, kind=None, begin_in=None, length=None):
        nonlocal pos
        if kind:
            entities.append({"type": kind, "begin": pos + begin_in, "end": pos + begin_in + length})
        parts.append(text)
        pos += len(text)

    if rng.random() < 0.2:
        add(rng.choice(EMOJI) + " ")
    for i in range(rng.randint(1, 3)):
        if i:
            add(" ")
        r = rng.random()
        if r < 0.2:
            add(filler(lang))
        elif r < 0.35:
            nl, make = rng.choice([n for n in NEG if n[0] == lang])
            add(make())
        else:
            kind, _, template, make = rng.choice([t for t in T if t[1] == lang])
            value = make()
            before, after = template.split("{v}")
            add(before + value + after, kind, len(before), len(value))
        if rng.random() < 0.1:
            add(" " + rng.choice(EMOJI))
    return {"language": lang, "text": "".join(parts), "entities": entities}


def main():
    docs = [document() for _ in range(1200)]
    for d in docs:
        for e in d["entities"]:
            assert 0 <= e["begin"] < e["end"] <= len(d["text"])
    for d in docs:
        sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
