"""Search over the catalogue: names, search words and typical words, in both languages.

The catalogue of one city is small (dozens of services), so the index is built
from the database on each query and scored in Python. That keeps search exact
and identical on SQLite and PostgreSQL, and an admin's edit counts at once.
Normalisation makes search case- and umlaut-insensitive ("Buergeramt" finds
"Bürgeramt") and tolerant of odd Unicode.
"""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 200
MAX_TOKENS = 12

_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})

STOPWORDS = frozenset(
    """
    der die das den dem des ein eine einen einem einer eines und oder fuer mit von zu zum zur im in am an auf
    ich mein meine meinen meiner wie was wo wann will moechte brauche beantragen online bitte
    the a an and or for of to in on my i how where what want need apply
    """.split()
)


def normalize(text: str) -> str:
    """Lower-case, transliterate umlauts, drop accents and everything but letters and digits."""
    text = unicodedata.normalize("NFKC", text or "").casefold().translate(_TRANSLITERATION)
    decomposed = unicodedata.normalize("NFKD", text)
    out = []
    for ch in decomposed:
        category = unicodedata.category(ch)
        if category.startswith("M"):
            continue  # combining accent
        out.append(ch if (category.startswith("L") or category.startswith("N")) else " ")
    return " ".join("".join(out).split())


def tokenize(text: str) -> list[str]:
    return [t for t in normalize(text).split() if t not in STOPWORDS]


def _stem_match(query_token: str, doc_token: str) -> bool:
    """A cheap stand-in for German stemming: 'anmelden' ~ 'anmeldung', 'urkunden' ~ 'urkunde'."""
    if query_token == doc_token:
        return True
    shorter = min(len(query_token), len(doc_token))
    if shorter < 4:
        return False
    prefix = 0
    for a, b in zip(query_token, doc_token, strict=False):
        if a != b:
            break
        prefix += 1
    return prefix >= max(4, shorter - 3)


# Words for booking an appointment. Booking is no service of the catalogue, so a search for them
# answers with the booking page as well as with the services found.
BOOKING_WORDS = ("termin", "terminvereinbarung", "terminbuchung", "appointment", "booking")


def asks_for_booking(query: str) -> bool:
    return any(_stem_match(token, word) for token in tokenize(query) for word in BOOKING_WORDS)


@dataclass
class Document:
    kind: str  # "service" or "referral"
    obj: object
    title_tokens: set[str]
    keyword_tokens: set[str]
    text_tokens: set[str]
    phrases: list[str] = field(default_factory=list)


def build_document(kind: str, obj: object, *, titles: list[str], keywords: list[str], texts: list[str]) -> Document:
    phrases = [normalize(p) for p in [*titles, *keywords] if normalize(p)]
    return Document(
        kind=kind,
        obj=obj,
        title_tokens={t for s in titles for t in tokenize(s)},
        keyword_tokens={t for s in keywords for t in tokenize(s)},
        text_tokens={t for s in texts for t in tokenize(s)},
        phrases=phrases,
    )


def _token_score(token: str, doc: Document) -> int:
    if token in doc.title_tokens:
        return 10
    if token in doc.keyword_tokens:
        return 8
    if any(_stem_match(token, t) for t in doc.title_tokens):
        return 6
    if any(_stem_match(token, t) for t in doc.keyword_tokens):
        return 5
    if token in doc.text_tokens:
        return 2
    if any(_stem_match(token, t) for t in doc.text_tokens):
        return 1
    return 0


def score(query_tokens: list[str], normalized_query: str, doc: Document) -> tuple[int, int]:
    """Return (matched token count, score); a document must match at least one token."""
    matched = 0
    total = 0
    for token in query_tokens:
        s = _token_score(token, doc)
        if s:
            matched += 1
            total += s
    if normalized_query and any(normalized_query == p for p in doc.phrases):
        total += 50
    elif normalized_query and any(normalized_query in p for p in doc.phrases):
        total += 20
    return matched, total


def clean_query(raw: str) -> tuple[str, bool]:
    """Trim a query to a sane length; report whether it was cut."""
    raw = (raw or "").replace("\x00", "")
    if len(raw) > MAX_QUERY_CHARS:
        return raw[:MAX_QUERY_CHARS], True
    return raw, False


def rank(query: str, documents: Sequence[Document]) -> list[Document]:
    tokens = tokenize(query)[:MAX_TOKENS]
    if not tokens:
        return []
    normalized_query = " ".join(tokens)
    scored = []
    for doc in documents:
        matched, total = score(tokens, normalized_query, doc)
        if matched:
            scored.append((matched, total, doc))
    if not scored:
        return []
    best_matched = max(m for m, _, _ in scored)
    # Prefer documents that match as many query words as the best one does.
    minimum = best_matched if best_matched > 1 else 1
    scored = [s for s in scored if s[0] >= minimum]
    scored.sort(key=lambda s: (-s[0], -s[1]))
    return [doc for _, _, doc in scored]
