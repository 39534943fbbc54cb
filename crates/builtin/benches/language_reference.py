"""Reference for dominant language detection: langdetect and lingua-language-detector on the
same labelled set as examples/language_quality.rs, with the same metrics and time per document.

/work/bench-venv/bin/python crates/builtin/benches/language_reference.py
"""

import collections
import pathlib
import time

SET = pathlib.Path(__file__).parent / "data" / "language" / "sentences.tsv"
SERVICE = {"en", "es", "fr", "de", "it", "pt", "ar", "hi", "ja", "ko", "zh", "zh-TW"}


def load():
    lines = SET.read_text(encoding="utf-8").splitlines()[1:]
    return [tuple(line.split("\t", 1)) for line in lines if line]


def langdetect_identifier():
    from langdetect import DetectorFactory, detect

    DetectorFactory.seed = 0  # langdetect samples at random; fix it for a repeatable run
    codes = {"zh-cn": "zh", "zh-tw": "zh-TW"}

    def identify(text):
        try:
            code = detect(text)
        except Exception:  # langdetect raises on text with no feature
            return "en"
        return codes.get(code, code)

    return identify


def lingua_identifier():
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

    def identify(text):
        lang = detector.detect_language_of(text)
        # lingua has one Chinese; its ISO 639-1 code is zh.
        return lang.iso_code_639_1.name.lower() if lang else "en"

    return identify


def evaluate(name, identify, rows):
    identify("warm up")
    start = time.perf_counter()
    guesses = [identify(text) for _, text in rows]
    per_doc = (time.perf_counter() - start) / len(rows)
    per_lang = collections.defaultdict(lambda: [0, 0])
    folded = [0, 0]  # zh-TW counted as zh, for identifiers with one Chinese
    for (lang, _), guess in zip(rows, guesses):
        per_lang[lang][1] += 1
        per_lang[lang][0] += lang == guess
        if lang in SERVICE:
            folded[1] += 1
            folded[0] += lang.replace("-TW", "") == guess.replace("-TW", "")
    print(f"== {name}")
    for lang in sorted(per_lang):
        ok, n = per_lang[lang]
        print(f"{lang:6} {ok:3}/{n:3}  {ok / n:.3f}")
    for label, keep in (("service", lambda l: l in SERVICE), ("other", lambda l: l not in SERVICE)):
        ok = sum(c[0] for l, c in per_lang.items() if keep(l))
        n = sum(c[1] for l, c in per_lang.items() if keep(l))
        print(f"{label} languages top-1 accuracy {ok / n:.4f} ({ok}/{n})")
    print(f"service languages, zh-TW folded into zh: {folded[0] / folded[1]:.4f}")
    print(f"time per document  {per_doc * 1e6:.1f} µs")


def main():
    rows = load()
    evaluate("langdetect", langdetect_identifier(), rows)
    evaluate("lingua-language-detector (all languages)", lingua_identifier(), rows)


if __name__ == "__main__":
    main()
