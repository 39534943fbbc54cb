#!/usr/bin/env python3
"""Builds the NAME/ADDRESS training set (data/pii/names-train.jsonl) and the held-out
benchmark set (benches/data/pii/names-test.jsonl) of the PII tagger.

Each line is {"text", "entities": [{"type", "begin", "end"}], "source"}, offsets in code
points, end exclusive, types NAME and ADDRESS as Amazon Comprehend's DetectPiiEntities names
them (https://docs.aws.amazon.com/comprehend/latest/dg/how-pii.html).

Two sources:
- wikigold (CC-BY 4.0, in Comprehend's formats): PER mentions become NAME; LOC, ORG and MISC
  mentions stay unlabelled, so they teach the tagger what is *not* a person's name. The train
  split goes to training, the test split to the benchmark.
- generated sentences (faker, MIT; seeded): letters, forms, chat messages and requests in
  English (en_US) and Spanish (es_ES) with names (titles outside the span), full and partial
  addresses, and hard negatives (company names made of surnames, streets named after people,
  capitalised sentence starts). Training and benchmark use disjoint template sets and seeds.
- generated hard negatives (seed 3, training only): sentences holding structured PII values and
  look-alikes, line-opening labels, form lines and lorem sentences, labelled only where a NAME
  or ADDRESS really is, so those values are not read as names or addresses.

Usage (from the repository root, with faker installed):
  python3 crates/builtin/data/pii/make_names_data.py /path/to/wikigold
"""

import csv
import json
import random
import sys
from pathlib import Path

from faker import Faker

HERE = Path(__file__).resolve().parent
TRAIN_OUT = HERE / "names-train.jsonl"
TEST_OUT = HERE.parent.parent / "benches" / "data" / "pii" / "names-test.jsonl"

TITLES = {
    "en": ["Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "Miss", "Dr", "Mr", "Mrs", "Ms"],
    "es": ["Sr.", "Sra.", "Dr.", "Dra.", "Don", "Doña", "Srta.", "D.", "Dña."],
}
# Real cities with their state, public facts, so partial addresses are not all faker's
# invented towns.
US_CITIES = [
    ("Seattle", "WA"), ("Springfield", "IL"), ("Austin", "TX"), ("Denver", "CO"),
    ("Boston", "MA"), ("Portland", "OR"), ("Chicago", "IL"), ("Phoenix", "AZ"),
    ("Miami", "FL"), ("Atlanta", "GA"), ("Nashville", "TN"), ("Columbus", "OH"),
    ("San Diego", "CA"), ("Los Angeles", "CA"), ("New York", "NY"), ("Buffalo", "NY"),
    ("Richmond", "VA"), ("Madison", "WI"), ("Salt Lake City", "UT"), ("Omaha", "NE"),
    ("Tucson", "AZ"), ("Raleigh", "NC"), ("Albany", "NY"), ("Reno", "NV"),
]
ABBREVIATIONS = {"Street": "St", "Avenue": "Ave", "Road": "Rd", "Drive": "Dr",
                 "Boulevard": "Blvd", "Lane": "Ln", "Court": "Ct"}
US_STREET_NAMES = ["Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake",
                   "Hill", "Park", "Sunset", "Lincoln", "Jackson", "Highland", "Church"]
US_SUFFIXES = ["Street", "Avenue", "Road", "Drive", "Boulevard", "Lane", "Court", "Way"]
ES_STREET_KINDS = ["Calle", "Avenida", "Plaza", "Paseo", "Calle de", "Avenida de", "C/"]
ES_STREET_NAMES = ["Mayor", "Alcalá", "Gran Vía", "Serrano", "la Paz", "Toledo", "Atocha",
                   "San Bernardo", "Colón", "los Reyes Católicos", "Goya", "Velázquez"]
ES_CITIES = [("Madrid", "28013"), ("Barcelona", "08001"), ("Sevilla", "41001"),
             ("Valencia", "46002"), ("Bilbao", "48001"), ("Málaga", "29015"),
             ("Zaragoza", "50001"), ("Granada", "18009"), ("Salamanca", "37002")]

# Templates: {NAME} full name, {TNAME} title + full name, {TLAST} title + surname, {FIRST}
# first name, {ADDR} full address, {STREET} street line, {CITY} city (and state), {SCITY}
# street and city (one address), {COMPANY}
# company (unlabelled), {NUM} a number (unlabelled), {DAY} a weekday (unlabelled).
TRAIN_TEMPLATES = {
    "en": [
        "My name is {NAME} and I live at {ADDR}.",
        "Please ship it to {ADDR}.",
        "Hi, this is {NAME}. My new address is {ADDR}.",
        "Dear {TNAME},\nThank you for your order #{NUM}. It will be delivered to {ADDR}.",
        "Name: {NAME}\nAddress: {ADDR}\nPhone: 555-01{NUM}",
        "{FIRST}: hey, are you coming tonight?\n{FIRST2}: yes, see you at {STREET}!",
        "{TNAME} will see you on {DAY} at the clinic on {STREET}.",
        "Send the invoice to {NAME}, {COMPANY}, {ADDR}.",
        "I spoke with {TLAST} yesterday about the lease at {SCITY}.",
        "Customer {NAME} reported that the package never arrived at {ADDR}.",
        "Thanks {FIRST}! I moved to {CITY} last year.",
        "{COMPANY} announced record profits on {DAY}.",
        "The meeting with {COMPANY} was moved to {DAY}.",
        "Please contact {NAME} for more details.",
        "Our office at {ADDR} is closed on {DAY}.",
        "Regards,\n{NAME}\n{COMPANY}",
        "{NAME} joined {COMPANY} as a senior engineer in 20{NUM}.",
        "Can you forward this to {FIRST}? She is handling the {COMPANY} account.",
        "Billing address: {ADDR}",
        "Emergency contact: {NAME} ({FIRST2}'s sister), {SCITY}.",
        "We are writing to inform {TNAME} that the account ending in {NUM} is past due.",
        "Yesterday {NAME} and {NAME2} met at {STREET} to sign the contract.",
        "According to {TNAME}, the results were promising.",
        "Good morning, I'd like to change my delivery address to {ADDR}.",
        "Thank you for contacting {COMPANY}. How can we help you today?",
        "Patient: {NAME}. Referred by {TNAME}.",
        "The apartment at {STREET} is available from {DAY}.",
        "Hello {TLAST}, your appointment is confirmed.",
        "Hey, I'm {NAME}, the new tenant at {ADDR}.",
        "Attn: {NAME}\n{COMPANY}\n{ADDR}",
        "From: {NAME}\nTo: {NAME2}\nSubject: lunch on {DAY}",
        "The form was signed by {NAME} on {DAY}.",
        "Recipient: {NAME}, {SCITY}",
        "thanks {FIRST}, talk soon",
        "{FIRST} wrote: can we meet at {STREET} instead?",
        "Is {NAME} available for a call on {DAY}?",
        "I'd like to speak to {TNAME}, please.",
        "A parcel for {NAME} was left at the front desk.",
        "Reports from {COMPANY} suggest sales grew in {CITY}.",
        "Sales at {COMPANY} rose after the merger.",
        "Our team in {CITY} will contact you on {DAY}.",
        "She grew up in {CITY} and now works for {COMPANY}.",
        "Contact person: {TNAME} ({COMPANY})",
        "We visited {NAME2} and {FIRST} last weekend.",
        "Interview notes: {NAME} arrived late; {TLAST} led the interview.",
        "Return address: {NAME}, {ADDR}",
        "Hi {FIRST}, the keys are with the doorman at {SCITY}.",
        "Witness {NAME}, of {ADDR}, stated that the car was red.",
        "{TNAME} and {TNAME2} co-authored the report for {COMPANY}.",
        "Lives at: {ADDR}",
        "The {COMPANY} office is at {SCITY}.",
        "Please make the check payable to {NAME}.",
        "Welcome aboard, {FIRST}!",
        "Order shipped to {NAME2} at {ADDR} on {DAY}.",
        "Good news from {TLAST}: the grant was approved.",
        "Thanks to {NAME} for organizing the event in {CITY}.",
    ],
    "es": [
        "Mi nombre es {NAME} y vivo en {ADDR}.",
        "Por favor, envíelo a {ADDR}.",
        "Hola, soy {NAME}. Mi nueva dirección es {ADDR}.",
        "Estimado {TNAME}:\nLe confirmamos que su pedido {NUM} será entregado en {ADDR}.",
        "Nombre: {NAME}\nDirección: {ADDR}\nTeléfono: 91 555 01{NUM}",
        "{FIRST}: ¿vienes esta noche?\n{FIRST2}: sí, nos vemos en {STREET}.",
        "{TNAME} le atenderá el {DAY} en la consulta de {STREET}.",
        "Envíe la factura a {NAME}, {COMPANY}, {ADDR}.",
        "Hablé con {TLAST} ayer sobre el piso de {SCITY}.",
        "El cliente {NAME} dice que el paquete no llegó a {ADDR}.",
        "¡Gracias, {FIRST}! Me mudé a {CITY} el año pasado.",
        "{COMPANY} anunció beneficios récord el {DAY}.",
        "La reunión con {COMPANY} se ha movido al {DAY}.",
        "Para más información, contacte con {NAME}.",
        "Nuestra oficina de {ADDR} cierra el {DAY}.",
        "Atentamente,\n{NAME}\n{COMPANY}",
        "{NAME} entró en {COMPANY} como ingeniera en 20{NUM}.",
        "Dirección de facturación: {ADDR}",
        "Ayer {NAME} y {NAME2} firmaron el contrato en {STREET}.",
        "Según {TNAME}, los resultados son prometedores.",
        "Buenos días, quiero cambiar mi dirección de entrega a {ADDR}.",
        "Gracias por contactar con {COMPANY}. ¿En qué podemos ayudarle?",
        "Paciente: {NAME}. Remitido por {TNAME}.",
        "Buenas tardes {TLAST}, su cita está confirmada.",
        "Hola, me llamo {NAME} y soy el nuevo inquilino de {ADDR}.",
        "A la atención de {NAME}\n{COMPANY}\n{ADDR}",
        "De: {NAME}\nPara: {NAME2}\nAsunto: comida del {DAY}",
        "El formulario lo firmó {NAME} el {DAY}.",
        "Destinatario: {NAME}, {SCITY}",
        "gracias {FIRST}, hablamos",
        "{FIRST} escribió: ¿quedamos en {STREET}?",
        "¿Está {NAME} disponible para una llamada el {DAY}?",
        "Quisiera hablar con {TNAME}, por favor.",
        "Dejaron un paquete para {NAME} en recepción.",
        "Informes de {COMPANY} indican que las ventas crecieron en {CITY}.",
        "Las ventas de {COMPANY} subieron tras la fusión.",
        "Nuestro equipo de {CITY} le llamará el {DAY}.",
        "Creció en {CITY} y ahora trabaja en {COMPANY}.",
        "Persona de contacto: {TNAME} ({COMPANY})",
        "Visitamos a {NAME2} y a {FIRST} el fin de semana.",
        "Remite: {NAME}, {ADDR}",
        "Hola {FIRST}, las llaves están en la portería de {SCITY}.",
        "El testigo {NAME}, con domicilio en {ADDR}, declaró que el coche era rojo.",
        "{TNAME} y {TNAME2} firmaron el informe para {COMPANY}.",
        "Domicilio: {ADDR}",
        "La oficina de {COMPANY} está en {SCITY}.",
        "¡Bienvenida, {FIRST}!",
        "Pedido enviado a {NAME2} en {ADDR} el {DAY}.",
        "Gracias a {NAME} por organizar el evento en {CITY}.",
    ],
}
TEST_TEMPLATES = {
    "en": [
        "Hello, I am {NAME}. Could you send the replacement to {ADDR}?",
        "To whom it may concern,\nI, {NAME}, residing at {ADDR}, authorize {COMPANY} to release my records.",
        "Delivery for {NAME} at {SCITY} failed on {DAY}.",
        "{TNAME} presented the findings to the board of {COMPANY}.",
        "Full name: {NAME} | Mailing address: {ADDR}",
        "ok {FIRST}, I'll pick you up at {STREET} around 7",
        "Shares of {COMPANY} fell sharply on {DAY}.",
        "The lease was signed by {NAME} for the unit at {ADDR}.",
        "Ask {TLAST} whether the office in {CITY} is open.",
        "Ship to: {NAME}, {ADDR}",
    ],
    "es": [
        "Buenas, me llamo {NAME}. ¿Pueden enviar el recambio a {ADDR}?",
        "Yo, {NAME}, con domicilio en {ADDR}, autorizo a {COMPANY} a ceder mis datos.",
        "La entrega para {NAME} en {SCITY} falló el {DAY}.",
        "{TNAME} presentó los resultados al consejo de {COMPANY}.",
        "Nombre completo: {NAME} | Domicilio: {ADDR}",
        "vale {FIRST}, te recojo en {STREET} sobre las 7",
        "Las acciones de {COMPANY} cayeron el {DAY}.",
        "Pregunta a {TLAST} si la oficina de {CITY} está abierta.",
    ],
}
# Hard negatives: sentences holding the values the structured PII finders look for (and
# their look-alikes that fail a checksum), which are never a NAME or an ADDRESS, so the tagger
# learns that digit groups, codes, keys and capitalised labels ("Key", "Total", "Note") at a
# line start are not names or addresses, nor is the capitalised first word of a sentence
# ({PROSE}: Faker's lorem sentences of common words). A NAME or ADDRESS placeholder among them
# is labelled as usual; the other placeholders are values of the kind they name (Maker.value).
HARD_TEMPLATES = {
    "en": [
        "the card I use is {CARD}.", "Card number: {CARD}", "Please charge {CARD} for the order.",
        "Pay with card {CARD}, exp {EXPIRY}, CVV {CVV}.", "{NAME}'s card number is {CARD}.",
        "Please pay into IBAN {IBAN} by Friday.", "IBAN: {IBAN}", "Wire the money to {NAME}, IBAN {IBAN}.",
        "My SSN is {SSN}.", "SSN: {SSN}", "Social security number {SSN} on file for {NAME}.",
        "Call me at {PHONE}.", "Phone: {PHONE}", "Contact {NAME} at {EMAIL} or {PHONE}.",
        "Account {ACCOUNT}, routing {ROUTING}.", "Routing number: {ROUTING}\nAccount number: {ACCOUNT}",
        "Aadhaar no. {AADHAAR}", "My Aadhaar number is {AADHAAR}.", "NHS number {NHS}",
        "Patient {NAME}, NHS number {NHS}.", "PAN: {PAN}", "Her PAN is {PAN}.",
        "Key {AWSKEY}", "Repo moved to {URL}. Token {AWSKEY}", "aws_access_key_id = {AWSKEY}",
        "Secret: {AWSSECRET}", "Visit {URL} for details.", "Docs at {URL}",
        "Email me at {EMAIL}.", "Email: {EMAIL}", "Server {IP} is down.", "IP: {IP}",
        "Login from {IP} at {TIME} on {DATE}.", "Meeting on {DATE} at {TIME}.",
        "Order {ORDER} shipped on {DATE}.", "Order #{ORDER}", "Total: {AMOUNT}",
        "Total {AMOUNT} due {DATE}.", "Invoice {ORDER}: {AMOUNT}", "SKU {SKU}, qty {NUM}",
        "Product code {SKU} is out of stock.", "Ship {SKU} to {ADDR}.",
        "Tracking number {TRACKING}", "Passport {PASSPORT}", "Driver license {LICENSE}",
        "Note: {ORDER} was refunded.", "Ref {ORDER}", "PIN {PIN}", "Password: {PASSWORD}",
        "Username: {USERNAME}", "MAC {MAC}", "VIN {VIN}", "Plate {PLATE}",
        "{WORD} {CARD}", "{WORD}: {SSN}", "{WORD} {IBAN}", "{WORD} {AWSKEY}", "{WORD} {PHONE}",
        "{WORD}\n{AMOUNT}", "{WORD}, {NAME}!", "{WORD}. {NAME} will call you.",
        "{WORD}: please review the attached file.", "{WORD} you for the update.",
        "Name: {NAME}\nAddress: {ADDR}\nCard: {CARD}\nSSN: {SSN}",
        "Name: {NAME}\nEmail: {EMAIL}\nPhone: {PHONE}",
        "Address: {ADDR}\nPhone: {PHONE}\nDate: {DATE}",
        "Name: {NAME}\nDOB: {DATE}\nPassport: {PASSPORT}",
        "{NAME}, {ADDR}, account {ACCOUNT}",
        "ID {AADHAAR} belongs to {NAME}.", "Ticket {ORDER} opened by {NAME} at {TIME}.",
        "{PROSE}", "{PROSE} {PROSE}", "{PROSE} The card {CARD} was declined.",
        "{PROSE} {NAME} will call you back.", "Thanks, {FIRST}. {PROSE}",
        "{PROSE} Ship it to {ADDR}.", "Order {ORDER} is late. {PROSE}",
        "{PROSE} Rotate the key {AWSKEY} now.", "{PROSE} Contact: {EMAIL}",
    ],
    "es": [
        "mi tarjeta es {CARD}.", "Número de tarjeta: {CARD}", "Cargue {CARD} al pedido.",
        "Pague con la tarjeta {CARD}, caduca {EXPIRY}, CVV {CVV}.",
        "La tarjeta de {NAME} es {CARD}.", "Envíelo al IBAN {IBAN} hoy.", "IBAN: {IBAN}",
        "Transfiera el dinero a {NAME}, IBAN {IBAN}.", "Mi DNI es {DNI}.", "DNI: {DNI}",
        "Llámame al {PHONE}.", "Teléfono: {PHONE}", "Contacte con {NAME} en {EMAIL} o {PHONE}.",
        "Cuenta {ACCOUNT}, código {ROUTING}.", "Clave {AWSKEY}", "vea {URL}. Clave {AWSKEY}",
        "Secreto: {AWSSECRET}", "Visite {URL} para más detalles.", "Correo: {EMAIL}",
        "Escríbame a {EMAIL}.", "El servidor {IP} no responde.", "IP: {IP}",
        "Acceso desde {IP} a las {TIME} del {DATE}.", "Reunión el {DATE} a las {TIME}.",
        "Pedido {ORDER} enviado el {DATE}.", "Pedido n.º {ORDER}", "Total: {AMOUNT}",
        "Importe {AMOUNT}, vence el {DATE}.", "Factura {ORDER}: {AMOUNT}",
        "Referencia {SKU}, cantidad {NUM}", "El producto {SKU} está agotado.",
        "Envíe {SKU} a {ADDR}.", "Seguimiento {TRACKING}", "Pasaporte {PASSPORT}",
        "Nota: el pedido {ORDER} fue reembolsado.", "Ref. {ORDER}", "PIN {PIN}",
        "Contraseña: {PASSWORD}", "Usuario: {USERNAME}", "Matrícula {PLATE}",
        "{WORD} {CARD}", "{WORD}: {DNI}", "{WORD} {IBAN}", "{WORD} {AWSKEY}", "{WORD} {PHONE}",
        "{WORD}\n{AMOUNT}", "{WORD}, {NAME}!", "{WORD}. {NAME} le llamará.",
        "{WORD}: revise el archivo adjunto.",
        "Nombre: {NAME}\nDirección: {ADDR}\nTarjeta: {CARD}\nDNI: {DNI}",
        "Nombre: {NAME}\nCorreo: {EMAIL}\nTeléfono: {PHONE}",
        "Dirección: {ADDR}\nTeléfono: {PHONE}\nFecha: {DATE}",
        "{NAME}, {ADDR}, cuenta {ACCOUNT}", "Incidencia {ORDER} abierta por {NAME} a las {TIME}.",
        "{PROSE}", "{PROSE} {PROSE}", "{PROSE} La tarjeta {CARD} fue rechazada.",
        "{PROSE} {NAME} le devolverá la llamada.", "Gracias, {FIRST}. {PROSE}",
        "{PROSE} Envíelo a {ADDR}.", "El pedido {ORDER} llega tarde. {PROSE}",
        "{PROSE} Cambie la clave {AWSKEY} ya.", "{PROSE} Contacto: {EMAIL}",
    ],
}
# Capitalised words that open lines and sentences without being names.
LINE_WORDS = {
    "en": ["Key", "Note", "Total", "Ship", "Hello", "Thanks", "Thank", "Subject", "Ref",
           "Invoice", "Order", "Account", "Status", "Warning", "Error", "Update", "Reminder",
           "Balance", "Amount", "Card", "Code", "Number", "Phone", "Welcome", "Hi", "Dear",
           "Regards", "Please", "Reply", "Urgent", "Done", "Confirmed", "Summary", "Receipt"],
    "es": ["Clave", "Nota", "Total", "Envío", "Hola", "Gracias", "Asunto", "Ref", "Factura",
           "Pedido", "Cuenta", "Estado", "Aviso", "Error", "Actualización", "Recordatorio",
           "Saldo", "Importe", "Tarjeta", "Código", "Número", "Teléfono", "Bienvenido",
           "Saludos", "Urgente", "Hecho", "Confirmado", "Resumen", "Recibo", "Atentamente"],
}
DAYS = {"en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]}


class Maker:
    """Fills one language's placeholders from a seeded faker and a seeded random stream."""

    def __init__(self, lang, seed):
        self.lang = lang
        self.rng = random.Random(seed)
        self.fake = Faker("en_US" if lang == "en" else "es_ES")
        self.fake.seed_instance(seed)

    def full_name(self):
        f, r = self.fake, self.rng
        first = f.first_name()
        if self.lang == "es":
            last = f.last_name() + (" " + f.last_name() if r.random() < 0.6 else "")
        else:
            last = f.last_name()
            if r.random() < 0.15:
                first += " " + r.choice("ABCDEFGHJKLMNPRSTW") + "."
        return first + " " + last

    def street(self):
        f, r = self.fake, self.rng
        if self.lang == "en":
            if r.random() < 0.4:
                s = f"{r.randint(1, 9999)} {r.choice(US_STREET_NAMES)} {r.choice(US_SUFFIXES)}"
            else:
                s = f.street_address()
            if r.random() < 0.4:
                for long, short in ABBREVIATIONS.items():
                    s = s.replace(" " + long, " " + short + r.choice(["", "."]))
            return s
        if r.random() < 0.4:
            return f"{r.choice(ES_STREET_KINDS)} {r.choice(ES_STREET_NAMES)}{r.choice(['', ',', ', nº'])} {r.randint(1, 200)}"
        return f.street_address().strip()

    def city(self):
        r = self.rng
        if self.lang == "en":
            city, state = r.choice(US_CITIES) if r.random() < 0.6 else (self.fake.city(), self.fake.state_abbr())
            return f"{city}, {state}"
        return r.choice(ES_CITIES)[0] if r.random() < 0.6 else self.fake.city()

    def address(self):
        r, f = self.rng, self.fake
        street = self.street()
        if self.lang == "en":
            city = self.city() if r.random() < 0.6 else f"{f.city()}, {f.state_abbr()}"
            sep = r.choice([", ", ", ", "\n"])
            return f"{street}{sep}{city} {f.zipcode()}" + (", USA" if r.random() < 0.1 else "")
        city, zipc = r.choice(ES_CITIES) if r.random() < 0.5 else (f.city(), f.postcode())
        form = r.random()
        if form < 0.6:
            return f"{street}, {zipc} {city}" + (", España" if r.random() < 0.15 else "")
        return f"{street}, {city}" if form < 0.8 else f"{street}\n{zipc} {city}"

    def company(self):
        return self.fake.company()

    def fill(self, key):
        """(text, entity type or None, offset of the entity inside text)."""
        r = self.rng
        if key in ("NAME", "NAME2"):
            return self.full_name(), "NAME", 0
        if key in ("FIRST", "FIRST2"):
            return self.fake.first_name(), "NAME", 0
        if key in ("TNAME", "TNAME2", "TLAST"):
            title = r.choice(TITLES[self.lang])
            name = self.fake.last_name() if key == "TLAST" else self.full_name()
            return f"{title} {name}", "NAME", len(title) + 1
        if key == "ADDR":
            return self.address(), "ADDRESS", 0
        if key == "STREET":
            return self.street(), "ADDRESS", 0
        if key == "CITY":
            return self.city(), "ADDRESS", 0
        if key == "SCITY":
            return f"{self.street()}, {self.city()}", "ADDRESS", 0
        if key == "COMPANY":
            return self.company(), None, 0
        if key == "NUM":
            return f"{r.randint(10, 99)}", None, 0
        if key == "DAY":
            return r.choice(DAYS[self.lang]), None, 0
        if key == "PROSE":
            # Faker's lorem sentences: common words of the language in random order, each
            # sentence opening with a capitalised one that is not a name.
            return self.fake.sentence(nb_words=r.randint(4, 12)), None, 0
        if key == "WORD":
            return r.choice(LINE_WORDS[self.lang]), None, 0
        return self.value(key), None, 0

    def digits(self, n):
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def upper(self, n, alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def grouped(self, raw, size=4):
        """`raw` in groups of `size` parted by a space or a dash, or not at all."""
        sep = self.rng.choice([" ", " ", "-", ""])
        return sep.join(raw[i:i + size] for i in range(0, len(raw), size))

    def card(self):
        """16 digits (15 for Amex), with a valid Luhn check digit half of the time."""
        r = self.rng
        body = r.choice(["4", "51", "55", "6011", "37"]) 
        n = 15 if body == "37" else 16
        body += self.digits(n - 1 - len(body))
        total = 0
        for i, ch in enumerate(reversed(body)):
            d = int(ch) * (2 if i % 2 == 0 else 1)
            total += d - 9 if d > 9 else d
        check = (10 - total % 10) % 10
        if r.random() < 0.5:
            check = (check + r.randint(1, 9)) % 10
        raw = body + str(check)
        if n == 15:
            sep = r.choice([" ", "-", ""])
            return sep.join([raw[:4], raw[4:10], raw[10:]])
        return self.grouped(raw)

    def iban(self):
        r = self.rng
        country, bank = r.choice([("GB", 4), ("ES", 0), ("DE", 0), ("FR", 0), ("IT", 1), ("NL", 4)])
        body = self.upper(bank) + self.digits(r.choice([14, 16, 18, 20]))
        raw = country + self.digits(2) + body
        return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4)) if r.random() < 0.7 else raw

    def phone(self):
        r, d = self.rng, self.digits
        if self.lang == "es":
            return r.choice([f"+34 6{d(2)} {d(3)} {d(3)}", f"9{d(1)} {d(3)} {d(2)} {d(2)}",
                             f"6{d(8)}", f"+34 9{d(8)}"])
        return r.choice([f"({d(3)}) {d(3)}-{d(4)}", f"{d(3)}-{d(3)}-{d(4)}",
                         f"+1 {d(3)} {d(3)} {d(4)}", f"{d(3)}.{d(3)}.{d(4)}",
                         f"+44 20 {d(4)} {d(4)}"])

    def date(self):
        """A date in one of three numeric forms (not Faker's, which depends on today)."""
        r = self.rng
        y, m, d = r.randint(1950, 2030), r.randint(1, 12), r.randint(1, 28)
        return r.choice([f"{m:02d}/{d:02d}/{y}", f"{y}-{m:02d}-{d:02d}", f"{d:02d}.{m:02d}.{y}"])

    def time(self):
        r = self.rng
        h, m = r.randint(0, 23), r.randint(0, 59)
        return r.choice([f"{h:02d}:{m:02d}", f"{h % 12 or 12}:{m:02d} {'AM' if h < 12 else 'PM'}",
                         f"{h:02d}:{m:02d}:{r.randint(0, 59):02d}"])

    def value(self, key):
        """A structured value (never a NAME or an ADDRESS) of the kind `key` names."""
        r, d, f = self.rng, self.digits, self.fake
        months = r.randint(1, 12)
        values = {
            "CARD": self.card, "IBAN": self.iban, "PHONE": self.phone,
            "SSN": lambda: f"{d(3)}-{d(2)}-{d(4)}" if r.random() < 0.7 else d(9),
            "EXPIRY": lambda: f"{months:02d}/{r.randint(24, 32)}",
            "CVV": lambda: d(r.choice([3, 3, 4])),
            "ACCOUNT": lambda: d(r.randint(8, 12)), "ROUTING": lambda: d(9),
            "AADHAAR": lambda: self.grouped(d(12)), "NHS": lambda: f"{d(3)} {d(3)} {d(4)}",
            "PAN": lambda: self.upper(5) + d(4) + self.upper(1),
            "DNI": lambda: d(8) + self.upper(1, "TRWAGMYFPDXBNJZSQVHLCKE"),
            "AWSKEY": lambda: "AKIA" + self.upper(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
            "AWSSECRET": lambda: "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+") for _ in range(40)),
            "URL": lambda: r.choice(["https://", "http://", "www."]) + f.domain_name() + r.choice(["", "/", f"/{f.word()}?id={d(3)}", f"/a?b={d(1)}"]),
            "EMAIL": f.email, "IP": lambda: f.ipv4() if r.random() < 0.8 else f.ipv6(),
            "DATE": self.date, "TIME": self.time,
            "ORDER": lambda: r.choice([d(6), f"A{d(5)}", f"ORD-{d(4)}-{d(5)}", f"{self.upper(2)}{d(7)}", f"#{d(5)}"]),
            "AMOUNT": lambda: r.choice([f"${r.randint(1, 9999)}.{d(2)}", f"{r.randint(1, 999)},{d(2)} €", f"USD {r.randint(1, 99)},{d(3)}.{d(2)}", f"€{r.randint(1, 999)}"]),
            "SKU": lambda: r.choice([f"SKU-{d(4)}-{self.upper(2)}", f"{self.upper(1)}{d(3)}-{self.upper(1)}", f"{self.upper(3)}{d(5)}"]),
            "TRACKING": lambda: r.choice([f"1Z{self.upper(6, 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789')}{d(10)}", d(12), f"{self.upper(2)}{d(9)}{self.upper(2)}"]),
            "PASSPORT": lambda: r.choice([d(9), self.upper(1) + d(8), self.upper(3) + d(6)]),
            "LICENSE": lambda: self.upper(1) + d(r.choice([7, 8, 12])),
            "PIN": lambda: d(4), "NUM": lambda: str(r.randint(1, 500)),
            "PASSWORD": lambda: f.password(length=r.randint(8, 14)),
            "USERNAME": f.user_name,
            "MAC": lambda: ":".join(self.upper(2, "0123456789ABCDEF") for _ in range(6)),
            "VIN": lambda: self.upper(17, "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"),
            "PLATE": lambda: f"{d(4)} {self.upper(3, 'BCDFGHJKLMNPRSTVWXYZ')}" if self.lang == "es" else f"{self.upper(3)}-{d(4)}",
        }
        return values[key]()

    def render(self, template):
        text, entities, i = "", [], 0
        while i < len(template):
            j = template.find("{", i)
            if j < 0:
                text += template[i:]
                break
            k = template.index("}", j)
            text += template[i:j]
            value, kind, inner = self.fill(template[j + 1:k])
            if kind:
                begin = len(text) + inner
                entities.append({"type": kind, "begin": begin, "end": len(text) + len(value)})
            text += value
            i = k + 1
        return {"text": text, "entities": entities, "source": f"generated-{self.lang}"}


def generated(templates, per_lang, seed):
    docs = []
    for n, lang in enumerate(["en", "es"]):
        maker = Maker(lang, seed * 10 + n)
        pool = templates[lang]
        for i in range(per_lang[lang]):
            docs.append(maker.render(pool[i % len(pool)]))
    return docs


def wikigold(folder, split):
    lines = (Path(folder) / f"wikigold-{split}.txt").read_text(encoding="utf-8").split("\n")
    spans = {}
    with open(Path(folder) / f"wikigold-{split}-annotations.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["Type"] == "PER":
                spans.setdefault(int(row["Line"]), []).append(
                    {"type": "NAME", "begin": int(row["Begin Offset"]), "end": int(row["End Offset"])})
    return [{"text": t, "entities": sorted(spans.get(i, []), key=lambda e: e["begin"]),
             "source": "wikigold"} for i, t in enumerate(lines) if t]


def write(path, docs):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/wikigold"
    train = (wikigold(folder, "train")
             + generated(TRAIN_TEMPLATES, {"en": 3000, "es": 2200}, seed=1)
             + generated(HARD_TEMPLATES, {"en": 2200, "es": 1700}, seed=3))
    test = wikigold(folder, "test") + generated(TEST_TEMPLATES, {"en": 250, "es": 200}, seed=2)
    write(TRAIN_OUT, train)
    write(TEST_OUT, test)
    print(f"{len(train)} training and {len(test)} test documents")


if __name__ == "__main__":
    main()
