//! The words left out of the trends' word and phrase counts: the commonest function words of the
//! widget's eight languages (en, de, nl, lv, fr, es, ar, he), lower case. Kept short on purpose:
//! a complaint is a sentence or two, and a long list (stopwords-iso has hundreds per language)
//! would also drop words that matter there, such as "want", "never" or "again".

/// Whether `word` (lower case) is one of them.
pub fn is_stop_word(word: &str) -> bool {
    WORDS.binary_search(&word).is_ok()
}

/// Sorted, so that [`is_stop_word`] can search it (the test checks).
const WORDS: &[&str] = &[
    "a", "aber", "about", "al", "als", "am", "an", "and", "are", "arī", "as", "at", "au", "aux",
    "be", "been", "bei", "bet", "bija", "but", "by", "ce", "cette", "con", "das", "dass", "dat",
    "de", "del", "dem", "den", "der", "des", "did", "die", "dit", "do", "du", "een", "ein", "eine",
    "einen", "el", "elle", "en", "er", "es", "est", "et", "for", "from", "für", "had", "has",
    "have", "he", "her", "het", "i", "ich", "ik", "il", "im", "in", "ir", "is", "ist", "it", "its",
    "ja", "je", "ka", "kas", "kā", "la", "las", "le", "les", "lo", "los", "ma", "man", "me", "met",
    "mi", "mij", "mijn", "mir", "mit", "mon", "my", "nav", "ne", "nicht", "niet", "no", "of", "on",
    "op", "or", "ou", "par", "pas", "pero", "pie", "por", "pour", "que", "se", "sie", "sind", "so",
    "son", "sur", "tas", "te", "that", "the", "they", "this", "to", "tā", "u", "un", "una", "und",
    "une", "uz", "vai", "van", "voor", "war", "was", "we", "were", "wir", "with", "y", "yo", "you",
    "your", "zu", "אבל", "אני", "את", "גם", "הוא", "היא", "זה", "כי", "לא", "מה", "על", "עם", "של",
    "أنا", "أو", "إلى", "التي", "الذي", "على", "عن", "في", "لا", "لكن", "ما", "مع", "من", "هذا",
    "هذه", "هو", "هي", "و",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_lower_case_and_without_repeats() {
        assert!(WORDS.windows(2).all(|pair| pair[0] < pair[1]), "sort WORDS");
        assert!(WORDS.iter().all(|word| word.to_lowercase() == *word));
    }

    #[test]
    fn function_words_of_each_language_are_left_out() {
        for word in ["the", "und", "het", "un", "les", "pero", "في", "של"] {
            assert!(is_stop_word(word), "{word}");
        }
        for word in [
            "late",
            "delivery",
            "lieferung",
            "levering",
            "piegāde",
            "retard",
            "tarde",
        ] {
            assert!(!is_stop_word(word), "{word}");
        }
    }
}
