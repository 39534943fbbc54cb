//! Spanish, French, German, Italian and Portuguese: lexicon-grade tags. Closed-class words
//! (determiners, pronouns, prepositions, conjunctions, auxiliaries, common adverbs) come from
//! hand-written lists of each language's function words — facts of the grammar, written here —
//! and open-class words from their endings (Spanish "-mente" ADV, "-ción" NOUN, "-ar" VERB…),
//! capitalised words inside a sentence are PROPN, and the rest NOUN, the most frequent class.

use super::PartOfSpeech as P;
use crate::Language;

/// Function words per tag, space-separated, lowercase.
type Lexicon = &'static [(P, &'static str)];

const ES: Lexicon = &[
    (
        P::Det,
        "el la los las un una unos unas este esta estos estas ese esa esos esas aquel aquella mi mis tu tus su sus nuestro nuestra nuestros nuestras cada todo toda todos todas otro otra otros otras mucho mucha muchos muchas poco poca pocos pocas algún alguna algunos algunas ningún ninguna cuánto cuánta varios varias del al",
    ),
    (
        P::Pron,
        "yo tú él ella nosotros nosotras vosotros ellos ellas usted ustedes me te se nos os lo le les mí ti sí esto eso aquello que quien quienes qué quién cuál cuales algo nada alguien nadie conmigo contigo",
    ),
    (
        P::Adp,
        "a ante bajo con contra de desde durante en entre hacia hasta mediante para por según sin sobre tras",
    ),
    (P::Cconj, "y e o u ni pero sino mas"),
    (P::Sconj, "si porque aunque cuando mientras como pues donde"),
    (
        P::Verb,
        "es son está están era eran fue fueron ser estar ha han he has hemos había hay sido estado soy eres somos estoy estamos tiene tienen tengo puede pueden quiero va voy vamos hace",
    ),
    (
        P::Adv,
        "no sí muy más menos ya también tampoco siempre nunca aquí allí ahí hoy mañana ayer ahora bien mal así todavía aún casi solo sólo bastante tan tanto",
    ),
    (P::Intj, "hola adiós gracias ay oh"),
];

const FR: Lexicon = &[
    (
        P::Det,
        "le la les l' un une des du au aux ce cet cette ces mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs chaque quelque quelques plusieurs tout toute tous toutes aucun aucune",
    ),
    (
        P::Pron,
        "je j' tu il elle on nous vous ils elles me m' te t' se s' lui leur y en moi toi soi eux celui celle ceux celles ceci cela ça qui que qu' quoi dont lequel laquelle rien personne quelqu'un",
    ),
    (
        P::Adp,
        "à de d' dans par pour en vers avec sans sous sur chez entre contre depuis pendant avant après devant derrière selon malgré parmi",
    ),
    (P::Cconj, "et ou mais ni car donc or"),
    (P::Sconj, "si quand lorsque comme puisque parce quoique"),
    (
        P::Verb,
        "est sont suis es sommes êtes était étaient été être ai as a avons avez ont avait avaient eu avoir fait peut peux veux va vais allons",
    ),
    (
        P::Adv,
        "ne n' pas plus très bien mal aussi encore toujours jamais déjà ici là maintenant aujourd'hui hier demain trop beaucoup peu assez souvent ensuite alors",
    ),
    (P::Intj, "bonjour salut merci oui non oh ah"),
];

const DE: Lexicon = &[
    (
        P::Det,
        "der die das den dem des ein eine einen einem einer eines kein keine keinen keinem keiner mein meine meinen meinem dein deine sein seine ihr ihre unser unsere euer eure dieser diese dieses diesen diesem jeder jede jedes jeden alle manche",
    ),
    (
        P::Pron,
        "ich du er sie es wir ihr mich dich sich uns euch mir dir ihm ihnen man wer was jemand niemand nichts etwas",
    ),
    (
        P::Adp,
        "in im ins an am ans auf aus bei beim mit nach seit von vom zu zum zur durch für gegen ohne um über unter vor hinter neben zwischen während wegen trotz bis",
    ),
    (P::Cconj, "und oder aber sondern denn doch"),
    (
        P::Sconj,
        "dass daß weil wenn ob obwohl als damit bevor nachdem während",
    ),
    (
        P::Verb,
        "ist sind bin bist seid war waren sein gewesen hat habe hast haben habt hatte hatten gehabt wird werde wirst werden wurde wurden kann können muss müssen will wollen soll sollen darf mag möchte",
    ),
    (
        P::Adv,
        "nicht sehr auch noch schon immer nie hier dort da heute morgen gestern jetzt oft gern gerne nur sehr wieder bald",
    ),
    (P::Part, "zu"),
    (P::Intj, "hallo danke ja nein ach oh"),
];

const IT: Lexicon = &[
    (
        P::Det,
        "il lo la i gli le l' un uno una un' del dello della dei degli delle al allo alla ai agli alle nel nello nella nei negli nelle sul sulla sui questo questa questi queste quello quella quelli quelle mio mia miei mie tuo tua suo sua suoi sue nostro nostra ogni ciascun alcuni alcune tutto tutta tutti tutte",
    ),
    (
        P::Pron,
        "io tu lui lei noi voi loro mi ti si ci vi ne me te ciò che chi cui quale quali qualcuno nessuno niente nulla",
    ),
    (
        P::Adp,
        "a ad da di d' in con su per tra fra senza verso contro durante presso",
    ),
    (P::Cconj, "e ed o oppure ma però né"),
    (
        P::Sconj,
        "se perché quando mentre come benché sebbene affinché",
    ),
    (
        P::Verb,
        "è sono sei siamo siete era erano stato stata essere ho hai ha abbiamo avete hanno aveva avere può possono voglio vuole va vado andiamo fa",
    ),
    (
        P::Adv,
        "non molto più meno anche ancora sempre mai già qui qua lì là oggi domani ieri ora adesso bene male così troppo poco solo",
    ),
    (P::Intj, "ciao grazie sì no oh ah"),
];

const PT: Lexicon = &[
    (
        P::Det,
        "o a os as um uma uns umas este esta estes estas esse essa esses essas aquele aquela meu minha meus minhas teu tua seu sua seus suas nosso nossa cada todo toda todos todas outro outra muitos muitas do da dos das no na nos nas ao aos à às dum duma num numa pelo pela pelos pelas",
    ),
    (
        P::Pron,
        "eu tu ele ela nós vós eles elas você vocês me te se lhe lhes mim ti si isto isso aquilo que quem qual quais algo nada alguém ninguém comigo contigo",
    ),
    (
        P::Adp,
        "a ante após até com contra de desde em entre para perante por sem sob sobre trás durante",
    ),
    (P::Cconj, "e ou mas nem porém contudo"),
    (P::Sconj, "se porque embora quando enquanto como caso"),
    (
        P::Verb,
        "é são sou somos era eram foi foram ser estar está estão estou estamos estava tem têm tenho temos tinha ter há havia pode podem posso quero vai vou vamos faz",
    ),
    (
        P::Adv,
        "não sim muito mais menos já também sempre nunca aqui ali lá hoje amanhã ontem agora bem mal assim ainda quase só apenas tão",
    ),
    (P::Intj, "olá obrigado obrigada oi ah oh"),
];

/// Open-class endings, longest first within a language: (ending, tag).
type Endings = &'static [(&'static str, P)];

const ES_ENDINGS: Endings = &[
    ("mente", P::Adv),
    ("ción", P::Noun),
    ("ciones", P::Noun),
    ("sión", P::Noun),
    ("dad", P::Noun),
    ("dades", P::Noun),
    ("miento", P::Noun),
    ("ista", P::Noun),
    ("oso", P::Adj),
    ("osa", P::Adj),
    ("ible", P::Adj),
    ("able", P::Adj),
    ("ivo", P::Adj),
    ("iva", P::Adj),
    ("ando", P::Verb),
    ("iendo", P::Verb),
    ("ado", P::Verb),
    ("ido", P::Verb),
    ("aba", P::Verb),
    ("aron", P::Verb),
    ("ar", P::Verb),
    ("er", P::Verb),
    ("ir", P::Verb),
];

const FR_ENDINGS: Endings = &[
    ("ement", P::Adv),
    ("ment", P::Adv),
    ("tion", P::Noun),
    ("tions", P::Noun),
    ("ité", P::Noun),
    ("isme", P::Noun),
    ("eur", P::Noun),
    ("eux", P::Adj),
    ("euse", P::Adj),
    ("ible", P::Adj),
    ("able", P::Adj),
    ("ique", P::Adj),
    ("if", P::Adj),
    ("ive", P::Adj),
    ("ait", P::Verb),
    ("aient", P::Verb),
    ("ons", P::Verb),
    ("ez", P::Verb),
    ("ant", P::Verb),
    ("er", P::Verb),
    ("ir", P::Verb),
    ("é", P::Verb),
];

const DE_ENDINGS: Endings = &[
    ("ung", P::Noun),
    ("ungen", P::Noun),
    ("heit", P::Noun),
    ("keit", P::Noun),
    ("schaft", P::Noun),
    ("lich", P::Adj),
    ("isch", P::Adj),
    ("ig", P::Adj),
    ("bar", P::Adj),
    ("los", P::Adj),
    ("en", P::Verb),
    ("te", P::Verb),
    ("st", P::Verb),
    ("t", P::Verb),
];

const IT_ENDINGS: Endings = &[
    ("mente", P::Adv),
    ("zione", P::Noun),
    ("zioni", P::Noun),
    ("tà", P::Noun),
    ("ismo", P::Noun),
    ("oso", P::Adj),
    ("osa", P::Adj),
    ("ibile", P::Adj),
    ("abile", P::Adj),
    ("ando", P::Verb),
    ("endo", P::Verb),
    ("are", P::Verb),
    ("ere", P::Verb),
    ("ire", P::Verb),
    ("ato", P::Verb),
    ("ito", P::Verb),
];

const PT_ENDINGS: Endings = &[
    ("mente", P::Adv),
    ("ção", P::Noun),
    ("ções", P::Noun),
    ("dade", P::Noun),
    ("mento", P::Noun),
    ("oso", P::Adj),
    ("osa", P::Adj),
    ("ível", P::Adj),
    ("ável", P::Adj),
    ("ando", P::Verb),
    ("endo", P::Verb),
    ("indo", P::Verb),
    ("ado", P::Verb),
    ("ido", P::Verb),
    ("ar", P::Verb),
    ("er", P::Verb),
    ("ir", P::Verb),
];

fn endings(language: Language) -> Endings {
    match language {
        Language::Es => ES_ENDINGS,
        Language::Fr => FR_ENDINGS,
        Language::De => DE_ENDINGS,
        Language::It => IT_ENDINGS,
        Language::Pt => PT_ENDINGS,
        _ => &[],
    }
}

fn lexicon(language: Language) -> Lexicon {
    match language {
        Language::Es => ES,
        Language::Fr => FR,
        Language::De => DE,
        Language::It => IT,
        Language::Pt => PT,
        _ => &[],
    }
}

/// The function-word tag of `lower` in `language`, if it is one.
fn function_word(lower: &str, language: Language) -> Option<P> {
    lexicon(language)
        .iter()
        .find(|(_, words)| words.split(' ').any(|w| w == lower))
        .map(|&(tag, _)| tag)
}

/// The tag and confidence of `word`, the sentence's first word if `first`.
pub fn tag(word: &str, first: bool, language: Language) -> (P, f32) {
    let shape = super::universal::by_shape(word);
    if shape != P::O {
        return (shape, if shape == P::Punct { 0.99 } else { 0.9 });
    }
    let lower = word.to_lowercase();
    if let Some(tag) = function_word(&lower, language) {
        return (tag, 0.9);
    }
    let capitalised = word.chars().next().is_some_and(char::is_uppercase);
    // German capitalises every noun: there a capital says NOUN, not PROPN.
    if capitalised && language == Language::De {
        return (P::Noun, 0.6);
    }
    if capitalised && !first {
        return (P::Propn, 0.7);
    }
    let ending = endings(language)
        .iter()
        .find(|(e, _)| lower.ends_with(e) && lower.chars().count() > e.chars().count() + 2);
    match ending {
        Some(&(_, tag)) => (tag, 0.6),
        None => (P::Noun, 0.4),
    }
}
