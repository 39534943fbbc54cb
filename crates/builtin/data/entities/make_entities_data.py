#!/usr/bin/env python3
"""Builds the DetectEntities tagger's training set (data/entities/entities-train.jsonl) and the
held-out benchmark set (benches/data/entities/entities-test.jsonl).

Each line is {"text", "entities": [{"type", "begin", "end"}], "source"}, offsets in code
points, end exclusive, types as Amazon Comprehend's DetectEntities names them
(https://docs.aws.amazon.com/comprehend/latest/dg/how-entities.html), plus MISC in training.

Sources:
- wikigold (CC-BY 4.0, in Comprehend's formats): PER -> PERSON, LOC -> LOCATION,
  ORG -> ORGANIZATION, MISC -> MISC (kept as one training type; the Rust side sorts a detected
  MISC span into EVENT, TITLE, COMMERCIAL_ITEM or OTHER by its words and context). The train
  split goes to training; the test split's PER/LOC/ORG mentions to the benchmark.
- generated sentences (faker, MIT; seeded): English (en_US) and Spanish (es_ES) sentences with
  people, cities, countries and companies, and dates, amounts and numbers left unlabelled (the
  rules find those), so the tagger does not read them as names.
- the DATE/QUANTITY benchmark: generated en/es sentences (seed 5) marked by their templates,
  and 26 sentences written and marked by hand in forms the templates do not use.
- well-known organisations and cities (REAL_ORGS, REAL_CITIES: public names) fill half of the
  generated company and city slots.

The share of generated text was checked on folds of wikigold's training split (the Rust test
`generated_share_on_wikigold_folds`): it neither helps nor hurts wikigold's names.

Usage (from the repository root, with faker installed):
  python3 crates/builtin/data/entities/make_entities_data.py /path/to/wikigold
"""

import csv
import json
import random
import sys
from pathlib import Path

from faker import Faker

HERE = Path(__file__).resolve().parent
TRAIN_OUT = HERE / "entities-train.jsonl"
TEST_OUT = HERE.parent.parent / "benches" / "data" / "entities" / "entities-test.jsonl"

WIKIGOLD_TYPES = {"PER": "PERSON", "LOC": "LOCATION", "ORG": "ORGANIZATION", "MISC": "MISC"}

# Tagger templates: {PERSON}, {PERSON2}, {FIRST}, {CITY}, {COUNTRY}, {COMPANY} are labelled;
# {DATE}, {MONEY}, {NUM}, {DAY}, {MONTH} are filled but unlabelled.
TAGGER_TEMPLATES = {
    "en": [
        "{PERSON} flew from {CITY} to {CITY2} on {DATE}.",
        "{FIRST} went to {CITY} to meet {COMPANY}'s new CEO.",
        "The CEO of {COMPANY}, {PERSON}, spoke in {CITY} on {DAY}.",
        "{COMPANY}'s shares fell after {PERSON} resigned.",
        "Analysts at {COMPANY} expect {COMPANY2}'s profits to grow.",
        "{PERSON}'s new book was praised in {COUNTRY}.",
        "{PERSON} joined {COMPANY} in {MONTH} {YEAR} as chief financial officer.",
        "{COMPANY} opened a new office in {CITY}, {COUNTRY}, last {DAY}.",
        "Shares of {COMPANY} rose {NUM} percent after the announcement.",
        "{PERSON} and {PERSON2} met in {CITY} to discuss the {COMPANY} deal.",
        "The team travelled to {COUNTRY} for the final on {DATE}.",
        "According to {PERSON}, {COMPANY} paid {MONEY} for the land.",
        "{FIRST} said the trip to {CITY} cost {MONEY}.",
        "I met {PERSON} at the airport in {CITY} yesterday.",
        "{COMPANY}'s chief executive, {PERSON}, will visit {COUNTRY} in {MONTH}.",
        "She moved to {CITY} in {YEAR} and later worked for {COMPANY}.",
        "The report by {PERSON} was published on {DAY}.",
        "Thanks, {FIRST}! See you in {CITY} on {DAY}.",
        "{PERSON} was born in {CITY}, {COUNTRY}, on {DATE}.",
        "{COMPANY} agreed to buy a stake in {COMPANY2} for {MONEY}.",
        "Our flight to {COUNTRY} leaves at {TIME} on {DAY}.",
        "Please send the contract to {PERSON} at {COMPANY} before {DATE}.",
        "In {YEAR}, {PERSON} founded {COMPANY} in {CITY}.",
        "{CITY} is the largest city in {COUNTRY}.",
        "The {COMPANY} plant near {CITY} employs {NUM} people.",
    ],
    "es": [
        "{PERSON} viajó de {CITY} a {CITY2} el {DATE}.",
        "El consejero delegado de {COMPANY}, {PERSON}, habló en {CITY} el {DAY}.",
        "{FIRST} trabaja en {COMPANY} desde {YEAR}.",
        "{PERSON} entró en {COMPANY} en {MONTH} de {YEAR} como directora financiera.",
        "{COMPANY} abrió una nueva oficina en {CITY}, {COUNTRY}, el {DAY} pasado.",
        "Las acciones de {COMPANY} subieron un {NUM} por ciento tras el anuncio.",
        "{PERSON} y {PERSON2} se reunieron en {CITY} para hablar del acuerdo con {COMPANY}.",
        "Según {PERSON}, {COMPANY} pagó {MONEY} por el terreno.",
        "{FIRST} dijo que el viaje a {CITY} costó {MONEY}.",
        "Conocí a {PERSON} en el aeropuerto de {CITY} ayer.",
        "El presidente de {COMPANY}, {PERSON}, visitará {COUNTRY} en {MONTH}.",
        "Se mudó a {CITY} en {YEAR} y después trabajó para {COMPANY}.",
        "¡Gracias, {FIRST}! Nos vemos en {CITY} el {DAY}.",
        "{PERSON} nació en {CITY}, {COUNTRY}, el {DATE}.",
        "En {YEAR}, {PERSON} fundó {COMPANY} en {CITY}.",
        "{CITY} es la ciudad más grande de {COUNTRY}.",
        "Nuestro vuelo a {COUNTRY} sale a las {TIME} del {DAY}.",
    ],
}

LABELLED = {"PERSON": "PERSON", "PERSON2": "PERSON", "FIRST": "PERSON", "CITY": "LOCATION",
            "CITY2": "LOCATION", "COUNTRY": "LOCATION", "COMPANY": "ORGANIZATION",
            "COMPANY2": "ORGANIZATION"}

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
}
DAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
}


# Well-known organisations and cities (public facts), so the tagger also meets real one-word
# names: Faker's companies are mostly "X, Y and Z" or "X LLC", and its en_US cities invented.
REAL_ORGS = ["Amazon", "Google", "Microsoft", "Apple", "Netflix", "Toyota", "Samsung", "IBM",
             "Intel", "Walmart", "Boeing", "Airbus", "Nike", "Adidas", "Siemens", "Nestlé",
             "Unilever", "Pfizer", "Ford", "Tesla", "Uber", "Spotify", "Oracle", "Cisco", "Sony",
             "Honda", "BMW", "Volkswagen", "Telefónica", "Santander", "Inditex", "Iberdrola",
             "Repsol", "BBVA", "Renault", "Danone", "IKEA", "the United Nations", "NASA", "the FBI",
             "UNESCO", "the World Bank", "the European Union", "Harvard University",
             "Stanford University", "the Red Cross", "Real Madrid", "FC Barcelona", "Reuters",
             "the BBC", "Starbucks", "McDonald's", "Coca-Cola", "Shell", "Nokia", "Ericsson",
             "Deutsche Bank", "Goldman Sachs", "JPMorgan", "Citigroup", "Airbnb", "Twitter",
             "the Pentagon", "the Senate", "Congress", "Mercadona", "Zara", "Mapfre", "Endesa"]
REAL_CITIES = ["London", "Paris", "Berlin", "Madrid", "Rome", "Tokyo", "Beijing", "Moscow",
               "Sydney", "Toronto", "Chicago", "Boston", "Seattle", "San Francisco", "New York",
               "Los Angeles", "Mexico City", "Buenos Aires", "Lima", "Bogotá", "Santiago",
               "Lisbon", "Dublin", "Amsterdam", "Brussels", "Vienna", "Prague", "Warsaw",
               "Istanbul", "Cairo", "Nairobi", "Mumbai", "Delhi", "Seoul", "Shanghai",
               "Singapore", "Bangkok", "Dubai", "Miami", "Houston", "Denver", "Atlanta",
               "Barcelona", "Sevilla", "Valencia", "Bilbao", "Munich", "Milan", "Naples",
               "Geneva", "Zurich", "Oslo", "Stockholm", "Helsinki", "Athens", "Vancouver",
               "Montreal", "Texas", "California", "Florida", "Europe", "Asia", "Africa",
               "Latin America", "Silicon Valley", "Manhattan", "Andalucía", "Cataluña"]


class Filler:
    """Seeded values for one language."""

    def __init__(self, lang, seed):
        self.lang = lang
        self.fake = Faker("en_US" if lang == "en" else "es_ES")
        self.fake.seed_instance(seed)
        self.rng = random.Random(seed)

    def value(self, key):
        r, f, lang = self.rng, self.fake, self.lang
        base = key.rstrip("2")
        if base == "PERSON":
            return f"{f.first_name()} {f.last_name()}"
        if base == "FIRST":
            return f.first_name()
        if base == "CITY":
            return r.choice(REAL_CITIES) if r.random() < 0.5 else f.city()
        if base == "COUNTRY":
            return f.country()
        if base == "COMPANY":
            return r.choice(REAL_ORGS) if r.random() < 0.5 else f.company()
        if base == "MONTH":
            return r.choice(MONTHS[lang])
        if base == "DAY":
            return r.choice(DAYS[lang])
        if base == "YEAR":
            return str(r.randint(1950, 2030))
        if base == "NUM":
            return str(r.randint(2, 950))
        if base == "TIME":
            return f"{r.randint(1, 12)}:{r.choice(['00', '15', '30', '45'])}"
        if base == "DATE":
            m, d, y = r.choice(MONTHS[lang]), r.randint(1, 28), r.randint(1990, 2030)
            return f"{m} {d}, {y}" if lang == "en" else f"{d} de {m} de {y}"
        if base == "MONEY":
            amount = f"{r.randint(1, 999)},{r.randint(0, 999):03d}"
            return f"${amount}" if lang == "en" else f"{amount} euros"
        raise KeyError(key)


def render(template, values, labelled):
    """Fills `template` ({KEY} slots) and marks the slots `labelled` maps to a type."""
    text, entities, i = "", [], 0
    while i < len(template):
        j = template.find("{", i)
        if j < 0:
            text += template[i:]
            break
        k = template.index("}", j)
        text += template[i:j]
        key = template[j + 1:k]
        value = values(key)
        if key in labelled:
            entities.append({"type": labelled[key], "begin": len(text),
                             "end": len(text) + len(value)})
        text += value
        i = k + 1
    return text, entities


def generated(per_lang, seed):
    docs = []
    for n, lang in enumerate(["en", "es"]):
        filler = Filler(lang, seed * 10 + n)
        pool = TAGGER_TEMPLATES[lang]
        for i in range(per_lang[lang]):
            text, entities = render(pool[i % len(pool)], filler.value, LABELLED)
            docs.append({"text": text, "entities": entities, "source": f"generated-{lang}"})
    return docs


# The DATE/QUANTITY benchmark: every slot is a marked span; the slot names what it holds, so
# the sentences make sense (a reference model reads meaning, not only shapes).
NUMBER_WORDS = {"en": ["two", "three", "four", "five", "six", "ten", "twelve"],
                "es": ["dos", "tres", "cuatro", "cinco", "seis", "diez", "doce"]}


def dq_value(key, lang, r):
    months, days = MONTHS[lang], DAYS[lang]
    m, d, y = r.choice(months), r.randint(1, 28), r.randint(1980, 2031)
    day, n = r.choice(days), r.randint(2, 950)
    clock = f"{r.randint(1, 12)}:{r.choice(['00', '15', '30', '45'])}"
    en = lang == "en"
    options = {
        "DAY": ([f"{day}, {m} {d}, {y}", f"{m} {d}, {y}", f"{d} {m} {y}", f"{m} {d}",
                 f"{y}-{r.randint(1, 12):02d}-{d:02d}", f"{r.randint(1, 12)}/{d}/{y}", day] if en else
                [f"{day} {d} de {m} de {y}", f"{d} de {m} de {y}", f"{d} de {m}",
                 f"{d}/{r.randint(1, 12)}/{y}", day]),
        "REL": ([f"last {day}", f"next {day}", "yesterday", "tomorrow", "today"] if en else
                [f"el {day} pasado", "ayer", "mañana", "hoy", f"el próximo {day}"]),
        "PERIOD": ([f"{m} {y}", m, str(y), "last week", "next month", "last year"] if en else
                   [f"{m} de {y}", m, str(y), "la semana pasada", "el mes que viene",
                    "el año pasado"]),
        "TIME": ([f"{clock} {r.choice(['am', 'pm', 'a.m.', 'p.m.'])}", clock, "noon"] if en else
                 [clock, f"{clock} horas"]),
        "MONEY": ([f"${r.randint(1, 9)},{r.randint(0, 999):03d}", f"${r.randint(1, 999)}.{r.randint(0, 99):02d}",
                   f"€{n}", f"{n} dollars", f"${r.randint(1, 9)}.{r.randint(1, 9)} million"] if en else
                  [f"{n} euros", f"{n} €", f"{r.randint(1, 9)},{r.randint(1, 9)} millones de euros",
                   f"{n} dólares"]),
        "PCT": [f"{r.randint(1, 99)}%", f"{r.randint(1, 99)} percent"] if en else
               [f"{r.randint(1, 99)} %", f"{r.randint(1, 99)} por ciento", f"{r.randint(1, 99)}%"],
        "WEIGHT": [f"{r.randint(2, 90)} kg", f"{r.randint(2, 90)} pounds"] if en else
                  [f"{r.randint(2, 90)} kilos", f"{r.randint(2, 90)} kg"],
        "DIST": [f"{r.randint(2, 90)} miles", f"{r.randint(2, 90)} km"] if en else
                [f"{r.randint(2, 90)} km", f"{r.randint(2, 90)} kilómetros"],
        "SIZE": [f"{r.randint(1, 64)} GB", f"{n} MB", f"{r.randint(1, 8)} TB"],
        "DUR": [f"{r.randint(2, 48)} hours", f"{r.randint(2, 90)} minutes", f"{r.randint(2, 9)} years"] if en else
               [f"{r.randint(2, 48)} horas", f"{r.randint(2, 90)} minutos", f"{r.randint(2, 9)} años"],
        "COUNT": NUMBER_WORDS[lang] + [str(n)],
    }
    return r.choice(options[key])


DQ_TYPES = {"DAY": "DATE", "REL": "DATE", "PERIOD": "DATE", "TIME": "DATE", "MONEY": "QUANTITY",
            "PCT": "QUANTITY", "WEIGHT": "QUANTITY", "DIST": "QUANTITY", "SIZE": "QUANTITY",
            "DUR": "QUANTITY", "COUNT": "QUANTITY"}

DQ_TEMPLATES = {
    "en": [
        "The meeting was moved to {DAY}.", "We paid {MONEY} for the repairs.",
        "Sales grew by {PCT} in {PERIOD}.", "The package weighs {WEIGHT} and arrives {REL}.",
        "I have {COUNT} tickets for the show on {DAY}.", "Her laptop has {SIZE} of storage.",
        "The store opens at {TIME} and the sale ends {REL}.", "Rent went up to {MONEY} a month.",
        "The hike is {DIST} long; we start at {TIME}.", "He was born on {DAY}.",
        "The file is {SIZE}, please send it before {DAY}.", "They waited {DUR} at the station.",
        "The invoice of {MONEY} is due {REL}.", "Only {PCT} of voters turned out in {PERIOD}.",
        "The bridge opened in {PERIOD} after {DUR} of work.",
        "We need {COUNT} volunteers by {DAY}.", "I called her {REL} about the {MONEY} refund.", "The truck carried {WEIGHT} of apples.",
    ],
    "es": [
        "La reunión se pasó al {DAY}.", "Pagamos {MONEY} por el arreglo.",
        "Las ventas crecieron un {PCT} en {PERIOD}.", "El paquete pesa {WEIGHT} y llega {REL}.",
        "Tengo {COUNT} entradas para el concierto.", "El archivo ocupa {SIZE}.",
        "El alquiler subió a {MONEY} al mes.", "La ruta tiene {DIST}; salimos a las {TIME}.",
        "Nació el {DAY}.", "Esperamos {DUR} en la estación.", "La factura de {MONEY} vence {REL}.", "La llamé {REL} por el reembolso de {MONEY}.",
        "Solo votó el {PCT} del censo en {PERIOD}.",
    ],
}


def date_quantity_set(per_lang, seed):
    docs = []
    for n, lang in enumerate(["en", "es"]):
        r = random.Random(seed * 10 + n)
        pool = DQ_TEMPLATES[lang]
        for i in range(per_lang[lang]):
            text, entities = render(pool[i % len(pool)], lambda k: dq_value(k, lang, r), DQ_TYPES)
            docs.append({"text": text, "entities": entities, "source": f"datequantity-{lang}"})
    return docs


# Hand-marked sentences, written apart from the templates above, in forms the templates do
# not use: [D ...] marks a DATE, [Q ...] a QUANTITY.
HANDMARKED = {
    "en": [
        "The shop closes at [D 6 pm] on weekdays but stays open until [D 9:30 p.m.] on [D Fridays].",
        "Revenue rose to [Q $4.2 billion] in the quarter ending [D June 30, 2024].",
        "We moved here in [D 2019] and the rent has gone up [Q 15 percent] since.",
        "She ran [Q 26.2 miles] in under [Q four hours] on [D Sunday morning].",
        "The update is [Q 1.5 GB] and takes about [Q 20 minutes] to install.",
        "Please reply by [D Thursday, 12 December 2024] at the latest.",
        "Tickets cost [Q €45] each, or [Q €80] for [Q two].",
        "The survey of [Q 1,024] adults was carried out [D last month].",
        "Temperatures reached [Q 38 °C] on [D 14 July].",
        "I'll call you back [D tomorrow] around [D 10 am].",
        "The building is [Q 300 meters] tall and was finished in [D 1931].",
        "Only [Q 3%] of the [Q 12,000] applicants were accepted [D this year].",
        "He borrowed [Q $250] from me [D two weeks ago].",
        "The meeting on [D 2024-03-05] lasted [Q three hours].",
        "The package weighed [Q 2.5 kg] and cost [Q $19.99] to ship.",
        "By the [D 1990s] the factory employed [Q 5,000] people.",
    ],
    "es": [
        "La tienda cierra a las [D 20:00] y abre el [D lunes] a las [D 9:30].",
        "Los ingresos subieron a [Q 4.200 millones de euros] en [D junio de 2024].",
        "Nos mudamos en [D 2019] y el alquiler ha subido un [Q 15 %] desde entonces.",
        "Corrió [Q 42 km] en menos de [Q cuatro horas] el [D domingo].",
        "La actualización ocupa [Q 2 GB] y tarda unos [Q 20 minutos].",
        "Responda antes del [D jueves 12 de diciembre de 2024], por favor.",
        "Las entradas cuestan [Q 45 euros] cada una.",
        "La encuesta a [Q 1.024] adultos se hizo [D el mes pasado].",
        "Me prestó [Q 250 dólares] [D hace dos semanas].",
        "La reunión del [D 5/3/2024] duró [Q tres horas].",
    ],
}


def handmarked():
    docs = []
    for lang, sentences in HANDMARKED.items():
        for marked in sentences:
            text, entities, i = "", [], 0
            while i < len(marked):
                j = marked.find("[", i)
                if j < 0:
                    text += marked[i:]
                    break
                k = marked.index("]", j)
                text += marked[i:j]
                kind = {"D": "DATE", "Q": "QUANTITY"}[marked[j + 1]]
                value = marked[j + 3:k]
                entities.append({"type": kind, "begin": len(text), "end": len(text) + len(value)})
                text += value
                i = k + 1
            docs.append({"text": text, "entities": entities, "source": f"handmarked-{lang}"})
    return docs


def wikigold(folder, split, types):
    lines = (Path(folder) / f"wikigold-{split}.txt").read_text(encoding="utf-8").split("\n")
    spans = {}
    with open(Path(folder) / f"wikigold-{split}-annotations.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            kind = WIKIGOLD_TYPES[row["Type"]]
            if kind in types:
                spans.setdefault(int(row["Line"]), []).append(
                    {"type": kind, "begin": int(row["Begin Offset"]), "end": int(row["End Offset"])})
    return [{"text": t, "entities": sorted(spans.get(i, []), key=lambda e: e["begin"]),
             "source": "wikigold"} for i, t in enumerate(lines) if t]


def write(path, docs):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/wikigold"
    train = (wikigold(folder, "train", {"PERSON", "LOCATION", "ORGANIZATION", "MISC"})
             + generated({"en": 1100, "es": 600}, seed=1))
    test = (wikigold(folder, "test", {"PERSON", "LOCATION", "ORGANIZATION"})
            + date_quantity_set({"en": 240, "es": 110}, seed=5) + handmarked())
    write(TRAIN_OUT, train)
    write(TEST_OUT, test)
    print(f"{len(train)} training and {len(test)} test documents")


if __name__ == "__main__":
    main()
