"""The tagger: matching rules as should-match / should-not-match tables, then whole decisions."""

from __future__ import annotations

import pytest

from indexer.corpus.layout import BUNDLED_CORPUS, THEMES_DIR
from indexer.themes.tagging import score, tag
from indexer.themes.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy(BUNDLED_CORPUS / THEMES_DIR)


def _terms_found(text: str, theme: str) -> set[str]:
    """The taxonomy terms of `theme` that the tagger finds in a one-line text."""
    match = next((m for m in score("", "", text, TAXONOMY) if m.slug == theme), None)
    return {hit.term for hit in match.hits} if match else set()


@pytest.mark.parametrize(
    ("text", "theme", "term", "rule"),
    [
        ("Het aantal mensenhandelzaken steeg.", "mensenhandel", "mensenhandel", "compound starting with a term"),
        ("De jeugdcriminaliteit daalde licht.", "jeugd-en-veiligheid", "jeugdcriminaliteit", "a term itself"),
        ("Gemeente getroffen door gijzelsoftware.", "digitale-veiligheid", "gijzelsoftware", "Dutch jargon"),
        ("Ransomware legde de servers plat.", "digitale-veiligheid", "ransomware", "English loanword"),
        ("Slachtoffers van MENSENHANDEL melden zich.", "mensenhandel", "mensenhandel", "case does not matter"),
        ("Ideeën over radicalisering en extremisten.", "maatschappelijk-ongenoegen", "extremist", "inflection"),
        ("Twee jeugdbendes vochten het uit.", "jeugd-en-veiligheid", "jeugdbende", "plural with -s"),
        ("Ze zagen deepfakes van de minister.", "digitale-veiligheid", "deepfake", "plural with s after a vowel"),
        ("Een tiener hackte de server.", "digitale-veiligheid", "hacken", "a verb's past tense"),
        ("Meisjes werden geronseld voor de prostitutie.", "mensenhandel", "ronselen", "a verb's participle"),
        ("Ze werd op haar vijftiende uitgehuwelijkt.", "zorg-en-veiligheid", "uithuwelijken", "a separable verb"),
        ("De jongeren hadden vuurwapens bij zich.", "jeugd-en-veiligheid", "vuurwapen (bij jongeren)", "paired"),
        ("Het nepnieuws over complottheorieën.", "maatschappelijk-ongenoegen", "complottheorie", "plural -ieën"),
        ("Drie jongens kregen jeugd-tbs opgelegd.", "jeugd-en-veiligheid", "jeugd-tbs", "mined from news posts"),
        ("Signalen van intiem terrorisme herkennen.", "zorg-en-veiligheid", "intiem terrorisme", "a phrase"),
        ("De casus werd besproken in het PGA-R overleg.", "maatschappelijk-ongenoegen", "PGA-R", "an acronym"),
        ("De CISO's van de gemeenten kwamen bijeen.", "digitale-veiligheid", "CISO", "plural acronym"),
        ("De wapeninleveractie was een succes.", "jeugd-en-veiligheid", "wapeninleveractie", "longest term wins"),
        (
            "De gezinsvoogd vroeg een ondertoezichtstelling aan.",
            "jeugd-en-veiligheid",
            "gezinsvoogd",
            "youth protection",
        ),
        ("Kindermisbruik en kinderporno op zijn computer.", "zorg-en-veiligheid", "kinderporno", "child abuse"),
        ("Speech on human trafficking in Europe.", "mensenhandel", "human trafficking", "an English report"),
        ("Children are trafficked across borders.", "mensenhandel", "trafficked", "the English verb"),
        (
            "Bij de steekpartij raakten twee jongens van 15 gewond.",
            "jeugd-en-veiligheid",
            "steekpartij (bij jongeren)",
            "violence near young people is youth and safety",
        ),
        (
            "Een 15-jarige is aangehouden na de steekpartij.",
            "jeugd-en-veiligheid",
            "steekpartij (bij jongeren)",
            "a minor's age is a word pair",
        ),
        (
            "De vrouw werd in haar woning neergestoken door haar ex-partner.",
            "zorg-en-veiligheid",
            "neergestoken (bij een (ex-)partner)",
            "violence by a partner",
        ),
        (
            "Oplichters plegen fraude via WhatsApp.",
            "digitale-veiligheid",
            "fraude (bij online)",
            "fraud by an online channel",
        ),
        ("Cybercriminelen kraakten de server.", "digitale-veiligheid", "cyber", "any cyber- compound"),
        ("A report on youth crime and juvenile justice.", "jeugd-en-veiligheid", "youth crime", "English youth"),
        (
            "Children are recruited by traffickers for sexual exploitation.",
            "mensenhandel",
            "sexual exploitation (bij handel of dwang)",
            "English sexual exploitation near trafficking",
        ),
        (
            "Een groep jongeren werd op school gepest en bedreigd.",
            "jeugd-en-veiligheid",
            "gepest (bij jongeren)",
            "bullying among young people",
        ),
        (
            "Er was een schietdreiging tegen een school in Rotterdam.",
            "jeugd-en-veiligheid",
            "schietdreiging (bij jeugd)",
            "a threat against a school is young people's",
        ),
        (
            "Het college verscherpt de informatieveiligheid na een inbreuk op persoonsgegevens.",
            "digitale-veiligheid",
            "inbreuk op persoonsgegevens",
            "the GDPR's word for a data breach",
        ),
        ("Oplichters sturen een valse e-mail namens de bank.", "digitale-veiligheid", "valse e-mail", "fake e-mail"),
        (
            "De zaak kwam voor bij de jeugdofficier en viel onder het adolescentenstrafrecht.",
            "jeugd-en-veiligheid",
            "adolescentenstrafrecht",
            "juvenile justice as the courts name it",
        ),
        ("Een tbs-gestelde keerde niet terug van verlof.", "zorg-en-veiligheid", "tbs-gestelde", "forensic care"),
        (
            "De rechter gaf een rechterlijke machtiging voor een gedwongen opname.",
            "zorg-en-veiligheid",
            "gedwongen opname",
            "compulsory mental care",
        ),
        (
            "Het programma voor deradicalisering van teruggekeerde jihadisten.",
            "maatschappelijk-ongenoegen",
            "deradicalisering",
            "'de' is too short to split off, so the word is a term itself",
        ),
    ],
)
def test_should_match(text: str, theme: str, term: str, rule: str) -> None:
    assert term in _terms_found(text, theme), rule


def test_a_word_paired_for_one_theme_still_counts_for_another() -> None:
    """Abuse by a teacher is young people's own world (Jeugd en Veiligheid) and stays abuse (Zorg en Veiligheid)."""
    text = "Een docent wordt verdacht van ontucht met drie leerlingen."
    assert "ontucht (bij school of club)" in _terms_found(text, "jeugd-en-veiligheid")
    assert "ontucht" in _terms_found(text, "zorg-en-veiligheid")


def test_a_paired_word_inside_a_plain_phrase_does_not_count_again() -> None:
    """Abuse of a child named as "seksueel misbruik" is one strong term, the phrase near a child, not also
    "misbruik (bij een kind)" inside it."""
    text = "Het kind was slachtoffer van seksueel misbruik door zijn oom."
    assert _terms_found(text, "zorg-en-veiligheid") == {"seksueel misbruik (bij een kind)"}


def test_a_verb_said_once_counts_once_whatever_its_form() -> None:
    """One mention is one hit: "geronseld" and "geronselde" stem alike, and not as "ronselen"."""
    match = next(m for m in score("", "", "De geronselde meisjes.", TAXONOMY) if m.slug == "mensenhandel")
    assert [(hit.term, hit.count) for hit in match.hits] == [("ronselen", 1)]


def test_a_verb_the_taxonomy_lists_after_a_noun_of_its_stem_is_found_in_every_form() -> None:
    """ "radicaliseren" shares its stem with "radicalisering", listed first; its past tense and
    participle are still the theme's word, for each theme that lists it."""
    for text in ("Drie jongeren radicaliseerden online.", "Drie geradicaliseerde jongeren."):
        assert _terms_found(text, "maatschappelijk-ongenoegen") == {"radicalisering"}, text
        assert _terms_found(text, "jeugd-en-veiligheid") == {"radicalisering (bij jeugd)"}, text


def test_a_word_in_two_pairings_of_one_theme_counts_once() -> None:
    """Near a partner and near a child, one assault is one strong term for Zorg en Veiligheid."""
    found = _terms_found("De vrouw en haar kind werden mishandeld door haar ex-partner.", "zorg-en-veiligheid")
    assert len([term for term in found if term.startswith("mishandeld")]) == 1


@pytest.mark.parametrize(
    ("text", "theme", "rule"),
    [
        ("De kernwapens van de grootmachten.", "jeugd-en-veiligheid", "an exclusion: not weapons among youth"),
        ("Het was de nacht van de lange messen in de partij.", "jeugd-en-veiligheid", "an idiom, not knives"),
        ("Messi scoorde twee keer.", "jeugd-en-veiligheid", "a name that starts like 'mes'"),
        ("Een bio-boer verkoopt groente.", "digitale-veiligheid", "'bio' is no BIO acronym"),
        ("Het ging om een handelsbelemmering bij de douane.", "mensenhandel", "trade, not human trafficking"),
        ("Veel fietsendiefstal rond het station.", "digitale-veiligheid", "ordinary theft is not cybercrime"),
        ("Hij kwam veilig thuis na de wedstrijd.", "zorg-en-veiligheid", "the everyday phrase, not Veilig Thuis"),
        ("We gaan om tien uur om de tafel.", "zorg-en-veiligheid", "'om' is no OM"),
        ("Een brief van de Nationaal Rapporteur Mensenhandel.", "mensenhandel", "a sender's name is no subject"),
        ("By the Dutch National Rapporteur on Trafficking in Human Beings.", "mensenhandel", "an English sender"),
        ("Cocaine and drug trafficking through the port.", "mensenhandel", "trafficking in goods"),
        ("Een man van 45 werd neergestoken in het centrum.", "jeugd-en-veiligheid", "violence among adults"),
        ("Een jonge vrouw werd neergestoken.", "jeugd-en-veiligheid", "'jonge' is no 'jongen', though they stem alike"),
        ("De winkelier werd neergestoken door een klant.", "zorg-en-veiligheid", "no partner, no partner violence"),
        ("Er was fraude met subsidies.", "digitale-veiligheid", "fraud without anything online"),
        ("Het programma startte op Cyber Monday.", "digitale-veiligheid", "a shopping day, not cybercrime"),
        ("De pest brak uit in de stad.", "jeugd-en-veiligheid", "the plague is no bullying"),
        (
            "De wet verbiedt abortus, zelfs na verkrachting of incest.",
            "zorg-en-veiligheid",
            "an abortion law's exceptions, no case of incest",
        ),
        ("De gemeente stuurt een aanslag voor de onroerendezaakbelasting.", "maatschappelijk-ongenoegen", "a tax bill"),
        ("Het museum toont een valse handtekening.", "digitale-veiligheid", "'vals' alone is nothing online"),
        (
            "Een jongeman moest onder bedreiging van een groep jongeren geld pinnen.",
            "jeugd-en-veiligheid",
            "a robbery by young people is ordinary crime",
        ),
        (
            "Jongeren zaten in de klas. Veel later, op een heel andere plek en op een andere dag, was er "
            "in de stad iemand neergestoken.",
            "jeugd-en-veiligheid",
            "young people far from the violence",
        ),
    ],
)
def test_should_not_match(text: str, theme: str, rule: str) -> None:
    assert _terms_found(text, theme) == set(), rule


FACTSHEET_TEXT = (
    "Criminele uitbuiting van minderjarigen neemt toe. Ronselaars benaderen jongeren via sociale media om "
    "als drugsrunner of geldezel te werken. Slachtoffers van mensenhandel zijn vaak kwetsbaar. "
    "Aandachtsfunctionarissen mensenhandel signaleren uitbuiting en melden bij de politie. "
) * 3


@pytest.mark.parametrize(
    ("title", "text", "expected", "why"),
    [
        ("Factsheet criminele uitbuiting", FACTSHEET_TEXT, {"mensenhandel"}, "a clear subject is tagged"),
        (
            "Wapenbezit onder jongeren",
            "Steeds meer jongeren dragen een mes op zak. Wapenpreventie op scholen, wapeninleveracties en de "
            "Group Violence Intervention (GVI) helpen. Jeugdgeweld en steekpartijen in de regio. " * 3,
            {"jeugd-en-veiligheid"},
            "youth and weapons",
        ),
        (
            "Verslag van de raadsvergadering",
            "De raad sprak over de begroting, het zwembad en de verkeersveiligheid. Een raadslid noemde terloops "
            "de kernwapens in het nieuws en de nacht van de lange messen in zijn partij. Messi speelde gisteren. "
            "Ook werd mensenhandel genoemd in een bijzin. " * 3,
            set(),
            "stray words never make a theme",
        ),
        (
            "Phishing nu ook via Google Alerts",
            "Criminelen verstoppen phishing in meldingen van Google Alerts. Klik niet op de link.",
            {"digitale-veiligheid"},
            "a short item that names its subject in the title and repeats it",
        ),
        (
            "Presentator opnieuw beschuldigd",
            "Een bekende presentator wordt opnieuw beschuldigd van seksueel misbruik. Twee vroegere collega's "
            "stappen naar de rechter; hij ontkent het seksueel misbruik.",
            set(),
            "sexual abuse of adults (a celebrity's case) is no family violence or child abuse",
        ),
        (
            "Oom veroordeeld",
            "Een oom is veroordeeld voor seksueel misbruik van zijn nichtje. Het kind was acht toen het begon.",
            {"zorg-en-veiligheid"},
            "sexual abuse of a child is child abuse",
        ),
        (
            "Getuigen gezocht van steekincident",
            "De politie zoekt getuigen van een steekincident aan de Dorpsstraat. Het slachtoffer is gewond.",
            set(),
            "a stabbing is ordinary crime, not youth and safety",
        ),
        (
            "Man opgepakt in onderzoek",
            "Justitie onderzoekt een scoutingleider. Op zijn computer trof de politie kinderporno aan. "
            "Het gaat om twee zaken: de kinderporno en filmpjes die hij zou hebben gemaakt.",
            {"zorg-en-veiligheid"},
            "a short news item that repeats one strong term",
        ),
        (
            "Jongen van 16 aangehouden voor steekincident",
            "Een verdachte van 16 is aangehouden voor een steekincident. Er volgen mogelijk meer aanhoudingen.",
            {"jeugd-en-veiligheid"},
            "a short item's title that names the young suspect makes youth the point (the title is a mention)",
        ),
        (
            "Terreurgroep eist aanslag in Pakistan op",
            "Een terreurgroep eist de aanslag op een markt in Pakistan op. De terroristen noemen het een "
            "wraakactie; extremisten dreigen met meer terreur.",
            set(),
            "terrorism abroad without a Dutch side is not this region's unrest",
        ),
        (
            "Protest tegen de regering in Servië",
            "In Servië gingen duizenden demonstranten de straat op. De betogers eisen het vertrek van de "
            "president; de oproerpolitie bewaakt het parlement.",
            set(),
            "protest in any foreign country without a Dutch side, also one no theme file lists",
        ),
        (
            "Betogers voor het Witte Huis",
            "In de Verenigde Staten gingen duizenden demonstranten de straat op tegen de president. De "
            "betogers trokken naar het Capitool.",
            set(),
            "a country of several words is recognised as one name",
        ),
        (
            "Boerenprotest bij Provinciale Staten",
            "Honderden boeren demonstreren bij het provinciehuis tijdens de vergadering van Provinciale Staten. "
            "Het boerenprotest verliep rustig.",
            {"maatschappelijk-ongenoegen"},
            "a word of a foreign name alone ('Staten') says nothing about where",
        ),
        (
            "Nederlandse jihadisten in Syrië",
            "Nederlandse jihadisten in Syrië willen terugkeren. De terroristen en hun kinderen zitten in kampen; "
            "de AIVD volgt de terreurgroep.",
            {"maatschappelijk-ongenoegen"},
            "abroad, with a Dutch side",
        ),
        (
            "Aanwijzing inzake invoering prestatiebekostiging in de forensische zorg",
            "Forensische zorg en huiselijk geweld: de zorgaanbieder declareert forensische zorg per prestatie. " * 5,
            set(),
            "a regulation that only arranges money is about no theme, even when what it funds is",
        ),
        (
            "The sexual exploitation of children in abuse images",
            "The sexual exploitation of children through child pornography; child sexual abuse material is "
            "shared online. Child sexual abuse and child abuse images harm victims for life. " * 3,
            {"zorg-en-veiligheid"},
            "in English treaties sexual exploitation of children also means abuse images, not trafficking",
        ),
        (
            "Nieuw monument onthuld",
            "Het monument herdenkt de joodse inwoners die in de oorlog dwangarbeid moesten verrichten. "
            "Nabestaanden en de burgemeester waren erbij.",
            set(),
            "a news brief that names exploitation once, in passing, is not about trafficking",
        ),
        (
            "Nieuw monument onthuld",
            "Het monument herdenkt vrouwen die in de oorlog in gedwongen prostitutie terechtkwamen. "
            "Nabestaanden waren erbij.",
            set(),
            "a strong phrase with a strong term inside it is one passing mention, not two",
        ),
        (
            "Controles in de haven",
            "Politie en inspectie controleerden dinsdag uitzendbureaus in de haven op arbeidsuitbuiting en "
            "mensenhandel. "
            + "De controles duurden de hele dag en werden in de middag afgerond met een gesprek op het kantoor "
            "van de havendienst, waar ook de burgemeester en enkele raadsleden bij aanwezig waren. " * 3,
            {"mensenhandel"},
            "a short item that names its subject by two strong terms in its lead is about it",
        ),
        (
            "Controles bij fruittelers",
            "Politie en inspectie controleerden dinsdag fruittelers. Er werd gelet op mensenhandel en "
            "arbeidsuitbuiting; misstanden zijn niet gevonden.",
            {"mensenhandel"},
            "a news brief that names trafficking twice is about it",
        ),
        (
            "Getuigen gezocht van steekincident",
            "De politie zoekt getuigen van een steekincident in de Fagelstraat. Hierbij raakte een 15-jarige "
            "jongen gewond.",
            set(),
            "a brief that names one stabbing of a young person once reports ordinary crime",
        ),
        (
            "Politie zoekt getuigen",
            "Een 14-jarige jongen trok een mes op het schoolplein. Leerlingen zagen hoe hij met het mes dreigde.",
            {"jeugd-en-veiligheid"},
            "a brief that says a young person's knife twice is about it",
        ),
        (
            "Politie zoekt getuigen",
            "Een 15-jarige jongen raakte gewond bij een steekincident. De politie spreekt van jeugdgeweld.",
            {"jeugd-en-veiligheid"},
            "a brief with another strong term of the theme needs no repetition",
        ),
        (
            "Park gesloten",
            "Het park is voor onbepaalde tijd gesloten vanwege overlast van jongeren. Bewoners klaagden al maanden.",
            {"jeugd-en-veiligheid"},
            "nuisance by young people said once is already the subject of a brief",
        ),
        (
            "Twee aanhoudingen na straatroof",
            "De politie heeft twee jonge verdachten aangehouden na een straatroof in het park. Een man werd "
            "beroofd van zijn telefoon.",
            set(),
            "a young suspect of ordinary crime is not youth and safety: the suspect's age is no subject",
        ),
        (
            "Meer kans op verblijf",
            "Buitenlandse kinderen die de Kinderbescherming volgt, krijgen eerder een verblijfsvergunning. "
            "De kinderrechter beslist daar niet over.",
            set(),
            "youth protection's institutions named in passing are no youth and safety: they support, not decide",
        ),
        (
            "Filmsterren officieel gescheiden",
            "Na drie jaar is de scheiding van het filmsterrenpaar rond. Het was geen vechtscheiding, zegt hun "
            "advocaat.",
            set(),
            "a celebrity divorce named a high-conflict one in passing is no care and safety",
        ),
        (
            "Naar Halt voor nepwapen",
            "Twee jongens zijn vrijdag doorverwezen naar Halt omdat ze een nepwapen op automobilisten richtten.",
            {"jeugd-en-veiligheid"},
            "young people sent to Halt is youth justice, the theme's own",
        ),
        (
            "Agent slaat minderjarige met wapenstok",
            "Een agent sloeg een geboeide minderjarige met een wapenstok. De beelden gingen rond.",
            set(),
            "a police baton is no weapon among young people",
        ),
        (
            "Waarom radicaliseren jongeren?",
            "Steeds meer jongeren radicaliseren online. Deskundigen zien dat radicalisering onder jongeren "
            "begint op sociale media en in kleine groepen.",
            {"jeugd-en-veiligheid", "maatschappelijk-ongenoegen"},
            "young people who radicalise are youth and safety as well as radicalisation",
        ),
        (
            "Meer DDoS-aanvallen in vakanties",
            "In de schoolvakanties plegen jongeren meer DDoS-aanvallen. Scholieren leggen zo de website "
            "van hun school plat.",
            {"jeugd-en-veiligheid", "digitale-veiligheid"},
            "young people committing cybercrime is their online world, and digital crime",
        ),
        (
            "DDoS-aanval op banken",
            "Een DDoS-aanval legde dinsdag de websites van drie banken plat. Klanten konden urenlang niet inloggen.",
            {"digitale-veiligheid"},
            "a DDoS attack with no young people near is digital safety alone",
        ),
        (
            "Jaarplanning vergaderingen",
            "De vergaderingen vinden plaats op dinsdag in het stadhuis. " * 20,
            set(),
            "no evidence, no theme: abstaining beats guessing",
        ),
    ],
)
def test_tag_decisions(title: str, text: str, expected: set[str], why: str) -> None:
    themes, _ = tag(title, "", text, TAXONOMY)
    assert {match.slug for match in themes} == expected, why


def test_every_assigned_theme_carries_its_reasons() -> None:
    themes, subthemes = tag("Factsheet criminele uitbuiting", "", FACTSHEET_TEXT, TAXONOMY)
    assert themes and all(match.hits for match in themes + subthemes)
    assert {"titel", "begin"} <= {hit.location for hit in themes[0].hits}
    assert "criminele-uitbuiting" in {match.slug for match in subthemes}
    assert all(match.parent == "mensenhandel" for match in subthemes)


def test_a_long_report_with_two_passing_mentions_gets_no_theme() -> None:
    filler = "De gemeente investeert in groen, sport, cultuur en onderhoud van wegen en bruggen. " * 400
    text = filler + " Mensenhandel kwam één keer ter sprake, net als radicalisering. " + filler
    assert tag("Jaarrekening 2024", "", text, TAXONOMY) == ((), ())


def test_a_long_text_counts_evidence_by_how_spread_it_is() -> None:
    paragraph = "De gemeente investeert in groen, sport, cultuur en onderhoud van wegen en bruggen. " * 40
    mentions = "Huiselijk geweld en kindermishandeling vragen een meldcode en Veilig Thuis. "
    one_article = paragraph * 5 + mentions * 10 + paragraph * 5
    throughout = (paragraph + mentions) * 10
    assert tag("Wet", "", one_article, TAXONOMY) == ((), ())
    assert "zorg-en-veiligheid" in {match.slug for match in tag("Wet", "", throughout, TAXONOMY)[0]}


def test_a_longer_text_needs_more_evidence_for_the_same_theme() -> None:
    """The same mentions in eight of ten parts: a subject of 4,000 words, a side line of 40,000."""
    paragraph = "De gemeente investeert in groen, sport, cultuur en onderhoud van wegen en bruggen. "
    mention = "Huiselijk geweld vraagt om de meldcode en Veilig Thuis. "

    def plan(repeats: int) -> str:
        return (paragraph * repeats + mention) * 8 + paragraph * repeats * 2

    assert {match.slug for match in tag("Beleidsplan", "", plan(30), TAXONOMY)[0]} == {"zorg-en-veiligheid"}
    assert tag("Beleidsplan", "", plan(300), TAXONOMY)[0] == ()


def test_a_word_in_two_pairings_counts_only_for_the_one_whose_words_stand_near() -> None:
    assert _terms_found("Het kind werd door de buurman mishandeld.", "zorg-en-veiligheid") == {
        "mishandeld (bij een kind)"
    }


def test_a_short_regulation_that_names_its_subject_in_every_article_is_about_it() -> None:
    """A decree setting up a rapporteur says "mensenhandel" in each task and no other word of the
    theme; one strong term said throughout a text shorter than a report is its subject."""
    administration = "Het bureau wordt ondersteund door een secretaris die door de minister wordt benoemd. " * 8

    def decree(mentions: int) -> str:
        tasks = [
            f"Artikel {number}. De rapporteur onderzoekt en rapporteert over mensenhandel."
            for number in range(mentions)
        ]
        return administration.join([*tasks, ""])

    assert len(decree(5).split()) > 300, "longer than a news item, whose own rules would apply"
    themes, _ = tag("Regeling instelling rapporteur", "", decree(5), TAXONOMY)
    assert [match.slug for match in themes] == ["mensenhandel"]
    assert {hit.term for hit in themes[0].hits} == {"mensenhandel"}, "the reason names the one term"
    assert tag("Regeling instelling rapporteur", "", decree(4), TAXONOMY)[0] == (), "four mentions: not yet"
    report = decree(5) + administration * 60
    assert len(report.split()) > 3000 and tag("Jaarverslag", "", report, TAXONOMY)[0] == (), "a report needs more"
