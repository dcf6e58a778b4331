//! The words and two-word phrases of free texts, for the trends: each text split at Unicode word
//! boundaries, lower-cased, without the [stop words](super::stop_words), numbers and
//! one-letter words. A phrase is two such words that stood next to each other in the text, with
//! nothing but spaces between them.

use unicode_segmentation::UnicodeSegmentation;

use super::stop_words::is_stop_word;

/// The words of `text` that say something, in order, each with whether the word before it in
/// the text was one too, with only spaces between (so that the two make a phrase).
fn kept(text: &str) -> Vec<(String, bool)> {
    let mut words = Vec::new();
    let mut after_kept = false;
    for segment in text.split_word_bounds() {
        if !segment.chars().any(char::is_alphanumeric) {
            // Punctuation ends a phrase; spaces do not.
            if !segment.trim().is_empty() {
                after_kept = false;
            }
            continue;
        }
        let word = segment.to_lowercase();
        let says_something = word.chars().count() > 1
            && !word.chars().all(|c| c.is_numeric())
            && !is_stop_word(&word);
        if says_something {
            words.push((word, after_kept));
        }
        after_kept = says_something;
    }
    words
}

/// The words of `text` that say something, and its phrases (`"late delivery"`).
pub fn words_and_phrases(text: &str) -> (Vec<String>, Vec<String>) {
    let kept = kept(text);
    let phrases = kept
        .windows(2)
        .filter(|pair| pair[1].1)
        .map(|pair| format!("{} {}", pair[0].0, pair[1].0))
        .collect();
    (kept.into_iter().map(|(word, _)| word).collect(), phrases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_case_without_stop_words_and_numbers() {
        let (words, phrases) =
            words_and_phrases("The LATE delivery again! Order 42 was late, sadly.");
        assert_eq!(
            words,
            ["late", "delivery", "again", "order", "late", "sadly"]
        );
        // Punctuation ends a phrase, and "order 42 was late" has no two words that say
        // something side by side.
        assert_eq!(phrases, ["late delivery", "delivery again"]);
    }

    #[test]
    fn scripts_keep_their_words_whole() {
        let (words, _) = words_and_phrases("Die Lieferung kam zu spät");
        assert_eq!(words, ["lieferung", "kam", "spät"]);
        let (words, _) = words_and_phrases("الطلب وصل متأخرًا");
        assert_eq!(words, ["الطلب", "وصل", "متأخرًا"]);
        let (words, phrases) = words_and_phrases("המשלוח הגיע באיחור");
        assert_eq!(words, ["המשלוח", "הגיע", "באיחור"]);
        assert_eq!(phrases.len(), 2);
    }
}
