"""Chinese text → whitespace-separated words, for indexing and for queries.

Neither SQLite FTS5 (unicode61) nor PostgreSQL ('simple') can split Chinese into words, so
every text is segmented with jieba first and the engines only split on spaces.
"""

from __future__ import annotations

import functools
import logging
import threading
import unicodedata
from importlib import resources

_USER_DICTIONARY = "userdict.txt"
_tokenizer = None
_tokenizer_lock = threading.Lock()


def fold(text: str) -> str:
    """Fold full-width to half-width forms (NFKC) and case, as the index sees text."""
    return unicodedata.normalize("NFKC", text).lower()


def load_segmenter():
    """The jieba tokenizer with the government-terms dictionary, built on first use only.

    Loading jieba's dictionary costs about a second; importing this module must not.
    """
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                lines = resources.files(__package__).joinpath(_USER_DICTIONARY).read_text(encoding="utf-8")
                for line in lines.splitlines():
                    word, *rest = line.split() or [""]
                    if word:
                        tokenizer.add_word(word, int(rest[0]) if rest else None)
                _tokenizer = tokenizer
    return _tokenizer


def _is_word(token: str) -> bool:
    # Punctuation and spaces are dropped: the engines would drop them anyway, and a query made
    # of them alone must come out empty rather than reach the FTS syntax.
    return any(ch.isalnum() for ch in token)


@functools.lru_cache(maxsize=65536)
def _with_inner_words(word: str) -> tuple[str, ...]:
    """The word preceded by every dictionary word inside it (cached: a corpus reuses its words).

    jieba's own search mode only adds the 2- and 3-character words inside a word, so a search
    for 信息公开 would miss 政府信息公开. Adding every inner dictionary word makes a query word
    match wherever it occurs inside a longer indexed word.
    """
    frequencies = load_segmenter().FREQ
    length = len(word)
    inner = [
        word[start : start + size]
        for size in range(2, length)
        for start in range(length - size + 1)
        if frequencies.get(word[start : start + size])
    ]
    return (*inner, word)


def _words_for_index(text: str) -> list[str]:
    """jieba's precise cut, each word with the dictionary words inside it, punctuation dropped."""
    words: list[str] = []
    for word in load_segmenter().cut(text, HMM=True):
        if not _is_word(word):
            continue
        if len(word) > 2:
            words.extend(_with_inner_words(word))
        else:
            words.append(word)
    return words


def segment(text: str) -> str:
    """Folded, jieba-segmented text as space-separated words, ready for an index column."""
    if not text:
        return ""
    return " ".join(_words_for_index(fold(text)))


@functools.lru_cache(maxsize=2048)
def _query_terms(query: str) -> tuple[str, ...]:
    tokenizer = load_segmenter()
    terms: list[str] = []
    for part in fold(query).split():
        words = [w for w in tokenizer.cut(part, HMM=True) if _is_word(w)]
        if not words:
            continue
        longer = [w for w in words if len(w) > 1]
        if longer:
            # Single characters inside a longer part are mostly particles (的, 和) or pieces that
            # the document may have segmented into a bigger word: requiring them loses matches.
            terms.extend(longer)
        else:
            # A lone character stays a one-character term (matched as a word prefix by the
            # backends); several lone characters must appear together, as a phrase.
            terms.append(" ".join(words))
    return tuple(dict.fromkeys(terms))


def query_terms(query: str) -> list[str]:
    """The terms a user query requires, all of them (AND).

    Parts are separated by spaces and each part is segmented. A term is a word, a phrase of
    single characters written "a b", or one character, which backends match as a prefix.
    Punctuation and FTS syntax never survive, so the result is always safe to quote.
    """
    return list(_query_terms(query or ""))


def is_prefix_term(term: str) -> bool:
    """One character alone (e.g. 税) is matched as the start of a word (税收, 税务)."""
    return len(term) == 1 and term.isalnum()


def highlight_needles(terms: list[str]) -> list[str]:
    """The strings to mark in the original text for these query terms."""
    return [term.replace(" ", "") for term in terms]
