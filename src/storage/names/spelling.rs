//! How names are compared however they are romanised: the rules that turn a name into the
//! forms search matches on. Pure functions; the rules are listed in the README ("Search").
//!
//! Three forms, from strict to loose:
//! - [`fold`]: case, diacritics, apostrophes and ayn/hamza signs, and punctuation folded away
//!   ("Kata'ib Hezbollah" and "KATAIB-HEZBOLLAH" both fold to "kataib hezbollah"). An equal
//!   fold is an exact match.
//! - a token's **key**: the fold of one word after the romanisation rules (the article
//!   dropped, q/k/g/c one letter, kh/ch/gh/dh/th/ph/dj merged, vowels in three classes,
//!   doubled letters single). "Soleimani", "Suleimani", "Sulaymani" and "Soleymani" share the
//!   key "sulaimani".
//! - a token's **skeleton**: its key without vowels (a leading vowel kept as `a`), which is
//!   what spellings of Arabic and Persian names agree on most: "Hezbollah", "Hizballah" and
//!   "Hizbullah" share the skeleton "hzbl".
//!
//! A search word matches a name's word when their skeletons are equal; keys then rank the
//! matches (the closer spelling first).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Signs that write ayn, hamza or an elision, dropped without splitting the word:
/// "Kata'ib", "Kataʾib" and "Kataib" are one word.
const APOSTROPHES: &[char] = &['\'', '’', '‘', 'ʿ', 'ʾ', '`', '´', 'ʼ', 'ʻ', 'ʽ', '′', 'ʹ'];

/// The Arabic article and its assimilated forms, as separate words ("al-Sadr", "ash-Sham",
/// "ad-Din", "el-Sisi"): dropped, since reporting writes them or leaves them out at will.
const ARTICLES: &[&str] = &[
    "al", "el", "ul", "il", "ol", "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az", "ed",
    "en", "er", "es", "esh", "et", "ez",
];

/// Case, diacritics, apostrophes and punctuation folded: lower case, letters without their
/// marks, every run of other characters one space, and digits apart from letters ("240mm"
/// folds like "240 mm").
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last: Option<char> = None;
    // Letters whose marks change the sound are spelled out before the marks go.
    let spelled: String = text.chars().map(plain).collect();
    for c in spelled.nfkd().filter(|c| !is_combining_mark(*c)) {
        if APOSTROPHES.contains(&c) {
            continue;
        }
        for c in c.to_lowercase() {
            let c = if c.is_alphanumeric() { c } else { ' ' };
            let boundary = matches!(last, Some(l) if l != ' ' && c != ' '
                && l.is_ascii_digit() != c.is_ascii_digit());
            if boundary {
                out.push(' ');
            }
            if c != ' ' || last.is_some_and(|l| l != ' ') {
                out.push(c);
            }
            last = Some(if boundary && c == ' ' { ' ' } else { c });
        }
    }
    out.trim_end().to_owned()
}

/// Text as the full-text index stores it: as written, but with apostrophes inside words
/// dropped ("Kata'ib" is indexed as "Kataib", one word, as a search folds it) and numbers
/// apart from the letters after them ("240mm" as "240 mm").
pub fn for_index(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut last: Option<char> = None;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        if APOSTROPHES.contains(&c)
            && last.is_some_and(char::is_alphanumeric)
            && next.is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        if last.is_some_and(|l| l.is_ascii_digit()) && c.is_alphabetic() {
            out.push(' ');
        }
        out.push(c);
        last = Some(c);
    }
    out
}

/// Letters that carry no combining mark to strip but have a plain Latin spelling.
fn plain(c: char) -> std::borrow::Cow<'static, str> {
    let s = match c {
        'ı' => "i",
        'ł' | 'Ł' => "l",
        'ø' | 'Ø' => "o",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'ħ' | 'Ħ' => "h",
        'þ' | 'Þ' => "th",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ß' => "ss",
        // Turkish and Kurdish letters: their marks change the sound, not only the look.
        'ş' | 'Ş' => "sh",
        'ç' | 'Ç' => "ch",
        'ğ' | 'Ğ' => "gh",
        _ => return std::borrow::Cow::Owned(c.to_string()),
    };
    std::borrow::Cow::Borrowed(s)
}

/// One word of a name in the forms search compares.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Token {
    /// The word after the romanisation rules.
    pub key: String,
    /// The key without its vowels.
    pub skeleton: String,
    /// How much less likely this form is than the word's first: 0 for the word as written,
    /// one for each rule of another tradition applied (German `ch` for kh, `j` for y).
    pub penalty: usize,
}

/// The words of a name or a search, each with the forms it may take: the first as written,
/// then alternatives (the article joined to it taken off: "Almuhandis" is also "Muhandis";
/// a final h after a vowel left out: "Nujabah" is also "Nujaba"; for a search, German
/// spellings: "Chalid" may be "Khalid", "Junis" "Yunis"). Articles standing alone are
/// dropped, unless the text is nothing else; "Abdul", "Abdel" and "Abd al-" become "Abd"
/// (their l is the article).
pub fn tokens(text: &str) -> Vec<Vec<Token>> {
    words(text, true)
}

/// [`tokens`] as a name is stored: only the alternatives that hold in every tradition (a
/// search tries the rest).
pub fn name_tokens(text: &str) -> Vec<Vec<Token>> {
    words(text, false)
}

fn words(text: &str, searching: bool) -> Vec<Vec<Token>> {
    split_words(&fold(text))
        .into_iter()
        .map(|w| forms(w, searching))
        .collect()
}

/// The words of a folded text, "Abdul…" split into "Abd" and the rest, articles standing
/// alone dropped (unless the text is nothing else).
fn split_words(folded: &str) -> Vec<&str> {
    let mut split: Vec<&str> = Vec::new();
    for word in folded.split(' ').filter(|w| !w.is_empty()) {
        match abd(word) {
            Some(rest) => {
                split.push("abd");
                if !rest.is_empty() {
                    split.push(rest);
                }
            }
            None => split.push(word),
        }
    }
    let all_articles = split.iter().all(|w| ARTICLES.contains(w));
    split
        .into_iter()
        .filter(|w| all_articles || !ARTICLES.contains(w))
        .collect()
}

/// "abdul", "abdel", "abdol", "abdal", "abdoul" and what follows them joined ("abdulmalik"):
/// the rest, when the word is one of them.
fn abd(word: &str) -> Option<&str> {
    ["abdoul", "abdul", "abdel", "abdol", "abdal"]
        .iter()
        .find_map(|p| word.strip_prefix(p))
}

/// The most forms one word is tried in.
const MAX_FORMS: usize = 8;

/// A word's forms: as written first, then the alternatives that apply.
fn forms(word: &str, searching: bool) -> Vec<Token> {
    let mut variants: Vec<(String, usize)> = vec![(word.to_owned(), 0)];
    let mut apply = |rule: &dyn Fn(&str) -> Option<String>, penalty: usize| {
        let new: Vec<(String, usize)> = variants
            .iter()
            .filter_map(|(w, p)| rule(w).map(|v| (v, p + penalty)))
            .collect();
        for v in new {
            if variants.len() < MAX_FORMS && !variants.iter().any(|(w, _)| *w == v.0) {
                variants.push(v);
            }
        }
    };
    apply(&|w| joined_article(w).map(str::to_owned), 0);
    apply(&|w| final_h(w).map(str::to_owned), 0);
    if searching {
        apply(
            &|w| (w.contains("ch") && !w.contains("sch")).then(|| w.replace("ch", "kh")),
            1,
        );
        apply(
            &|w| {
                w.contains('j')
                    .then(|| w.replace("dj", "j").replace('j', "y"))
            },
            1,
        );
    }
    let mut tokens: Vec<Token> = Vec::with_capacity(variants.len());
    for (w, penalty) in variants {
        let t = token_with(&w, penalty);
        if !tokens.iter().any(|o| o.key == t.key) {
            tokens.push(t);
        }
    }
    tokens
}

/// The word without a joined article ("almuhandis" → "muhandis"), when what follows is
/// long enough to be a name of its own.
fn joined_article(word: &str) -> Option<&str> {
    ["al", "el"]
        .iter()
        .find_map(|a| word.strip_prefix(a))
        .filter(|rest| rest.chars().count() >= 4 && !rest.starts_with(|c: char| c.is_ascii_digit()))
}

/// The word without a final h after a vowel, often left out ("Nujabah"/"Nujaba",
/// "Fatimah"/"Fatima"), but a consonant of its own in others ("Saleh"), hence an alternative.
fn final_h(word: &str) -> Option<&str> {
    word.strip_suffix('h')
        .filter(|stem| stem.ends_with(['a', 'e']) && stem.chars().count() >= 3)
}

/// A name or search as one string of consonants: every word's key without any vowel, joined,
/// so that words written apart or together agree ("Abu Kamal", "Albukamal", "Boukamal";
/// "Hassan Nasr Allah", "Hassan Nasrallah").
pub fn joined(text: &str) -> String {
    let mut out = String::new();
    for word in split_words(&fold(text)) {
        let word = joined_article(word).unwrap_or(word);
        {
            for c in key(word).chars().filter(|c| !matches!(c, 'a' | 'i' | 'u')) {
                if !out.ends_with(c) {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// The key and skeleton of one folded word.
pub fn token(word: &str) -> Token {
    token_with(word, 0)
}

fn token_with(word: &str, penalty: usize) -> Token {
    let key = key(word);
    let skeleton = skeleton(&key);
    Token {
        key,
        skeleton,
        penalty,
    }
}

/// Digraphs, longest first, and what they become; then single letters.
const DIGRAPHS: &[(&str, &str)] = &[
    ("dsch", "j"),
    ("tsch", "S"),
    ("sch", "S"),
    ("kh", "h"),
    ("ch", "S"),
    ("sh", "S"),
    ("gh", "k"),
    ("dh", "z"),
    ("th", "z"),
    ("zh", "j"),
    ("dj", "j"),
    ("ph", "f"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ie", "i"),
    ("ei", "ai"),
];

/// A folded word after the romanisation rules (see the module's documentation). Numbers
/// are kept as they are.
pub fn key(word: &str) -> String {
    if word.chars().all(|c| c.is_ascii_digit()) {
        return word.to_owned();
    }
    let mut mapped = String::with_capacity(word.len());
    let mut rest = word;
    while let Some(c) = rest.chars().next() {
        if let Some((from, to)) = DIGRAPHS.iter().find(|(from, _)| rest.starts_with(from)) {
            mapped.push_str(to);
            rest = &rest[from.len()..];
            continue;
        }
        let next = rest[c.len_utf8()..].chars().next();
        let after = rest[c.len_utf8()..].chars().nth(1);
        let before_consonant = next.is_some() && after.is_none_or(|a| !is_vowel(a) && a != 'y');
        // "ay"/"ey" before a consonant or at the end is the diphthong ("Sulaymani",
        // "Soleymani"); before a vowel the y is a consonant ("Sayed", "Sayyid").
        if matches!(c, 'a' | 'e') && next == Some('y') && before_consonant {
            mapped.push_str("ai");
            rest = &rest[c.len_utf8() + 1..];
            continue;
        }
        // "aw"/"ow" before a consonant is a long u ("Mawsil"/"Mosul").
        if matches!(c, 'a' | 'o') && next == Some('w') && before_consonant && !mapped.is_empty() {
            mapped.push('u');
            rest = &rest[c.len_utf8() + 1..];
            continue;
        }
        match c {
            'q' | 'k' | 'g' | 'c' => mapped.push('k'),
            'w' | 'v' => mapped.push('v'),
            'e' => mapped.push('a'),
            'o' => mapped.push('u'),
            // y is a consonant at the start of a word or before a vowel, else a vowel.
            'y' if mapped.is_empty() || next.is_some_and(is_vowel) => mapped.push('y'),
            'y' => mapped.push('i'),
            'x' => mapped.push_str("ks"),
            _ => mapped.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    let mut key = String::with_capacity(mapped.len());
    for c in mapped.chars() {
        if !key.ends_with(c) {
            key.push(c);
        }
    }
    key
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// A key without its vowels; a leading vowel is kept as `a`, so that "Ibrahim" and
/// "Ebrahim" agree and "Ali" keeps more than one letter.
fn skeleton(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for (i, c) in key.chars().enumerate() {
        match c {
            'a' | 'i' | 'u' if i == 0 => out.push('a'),
            'a' | 'i' | 'u' => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{fold, key, tokens};

    fn skeletons(text: &str) -> Vec<String> {
        tokens(text).iter().map(|t| t[0].skeleton.clone()).collect()
    }

    fn keys(text: &str) -> Vec<String> {
        tokens(text).iter().map(|t| t[0].key.clone()).collect()
    }

    #[test]
    fn folding_drops_case_marks_apostrophes_and_punctuation() {
        assert_eq!(fold("Kata'ib Hezbollah"), "kataib hezbollah");
        assert_eq!(fold("KATAʾIB-HEZBOLLAH"), "kataib hezbollah");
        assert_eq!(fold("Āyn al-Asad"), "ayn al asad");
        assert_eq!(fold("  al-Ka’abi  "), "al kaabi");
        assert_eq!(fold("240mm rockets"), "240 mm rockets");
        assert_eq!(fold("240 mm"), "240 mm");
        assert_eq!(fold("Ḥasan Naṣr Allāh"), "hasan nasr allah");
    }

    #[test]
    fn the_index_keeps_the_text_but_joins_words_split_by_apostrophes_and_parts_numbers() {
        use super::for_index;
        assert_eq!(for_index("Kata'ib Hezbollah"), "Kataib Hezbollah");
        assert_eq!(for_index("the 240mm rockets"), "the 240 mm rockets");
        assert_eq!(for_index("'quoted' words"), "'quoted' words");
        assert_eq!(for_index("F-16s"), "F-16 s");
    }

    #[test]
    fn spellings_of_one_name_share_their_keys() {
        for spelling in [
            "Soleimani",
            "Suleimani",
            "Sulaymani",
            "Soleymani",
            "Sulaimani",
        ] {
            assert_eq!(keys(spelling), ["sulaimani"], "{spelling}");
        }
        for spelling in ["Qasem", "Qassem", "Kassem", "Gasem"] {
            assert_eq!(keys(spelling), ["kasam"], "{spelling}");
        }
        assert_eq!(keys("Jabareen"), keys("Jabarin"));
        assert!(
            tokens("Nujabah")[0]
                .iter()
                .any(|f| f.key == keys("Nujaba")[0])
        );
        assert!(
            tokens("Saleh")[0]
                .iter()
                .any(|f| f.key == keys("Salih")[0].replace('i', "a"))
        );
        assert_eq!(keys("Nojaba"), keys("Nujaba"));
        assert_eq!(keys("Kadhimi"), keys("Kazimi"));
        assert_eq!(keys("Fayyadh"), keys("Fayyaz"));
        assert_eq!(keys("Nouri"), keys("Nuri"));
    }

    #[test]
    fn vowel_spellings_share_a_skeleton() {
        for spelling in ["Hezbollah", "Hizballah", "Hizbullah", "Hizbollah"] {
            let forms = &tokens(spelling)[0];
            assert!(
                forms.iter().any(|f| f.skeleton == "hzbl"),
                "{spelling}: {forms:?}"
            );
        }
        assert_eq!(skeletons("Sayed"), skeletons("Sayyid"));
        assert_eq!(skeletons("Mawsil"), skeletons("Mosul"));
        assert_eq!(skeletons("Qasim"), skeletons("Qasem"));
        assert_eq!(skeletons("Ibrahim"), skeletons("Ebrahim"));
        assert_eq!(skeletons("Wilayat"), skeletons("Velayat"));
    }

    #[test]
    fn the_article_is_dropped_standing_alone_or_joined() {
        assert_eq!(keys("Abu Mahdi al-Muhandis"), keys("Abu Mahdi Muhandis"));
        assert_eq!(keys("ash-Sham"), keys("Sham"));
        let joined = tokens("Almuhandis");
        assert_eq!(joined[0][1], tokens("Muhandis")[0][0]);
        assert_eq!(keys("al"), ["al"], "a text of articles only keeps them");
        assert_eq!(key("240"), "240");
        assert_eq!(keys("Abdul-Malik"), keys("Abd al-Malik"));
        assert_eq!(keys("Abdelmalek"), keys("Abd al-Malek"));
    }

    #[test]
    fn words_written_apart_or_together_join_to_the_same_consonants() {
        use super::joined;
        for spelling in ["Albukamal", "Al Bu Kamal", "Boukamal", "Abukamal"] {
            assert_eq!(joined(spelling), joined("Abu Kamal"), "{spelling}");
        }
        assert_eq!(joined("Hassan Nasr Allah"), joined("Hassan Nasrallah"));
        assert_eq!(joined("Hizb Allah"), joined("Hezbollah"));
    }

    #[test]
    fn a_search_tries_german_spellings_at_a_cost() {
        let chalid = &tokens("Chalid")[0];
        let khalid = &tokens("Khalid")[0][0];
        assert!(chalid.iter().any(|f| f.key == khalid.key && f.penalty == 1));
        assert!(
            super::name_tokens("Chalid")[0]
                .iter()
                .all(|f| f.penalty == 0)
        );
        assert_eq!(keys("Nadschaf"), keys("Najaf"));
        assert_eq!(skeletons("Qamişlo"), skeletons("Qamishli"));
    }
}
