//! "Did you mean …?": the closest known word to a misspelt one.

/// The candidate closest to `word`, if one is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (strsim::normalized_damerau_levenshtein(word, c), c))
        .filter(|(score, _)| *score >= 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_finds_the_word_and_nonsense_finds_nothing() {
        let ids = ["iran-backed-militias", "iran", "iraq"];
        assert_eq!(
            suggest("iran-backed-milita", ids).as_deref(),
            Some("iran-backed-militias")
        );
        assert_eq!(suggest("completely-different", ids), None);
    }
}
