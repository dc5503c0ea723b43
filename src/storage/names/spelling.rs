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
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        if APOSTROPHES.contains(&c) {
            continue;
        }
        for c in plain(c).chars().flat_map(char::to_lowercase) {
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
}

/// The words of a name or a search, each with the forms it may take: one, or two when a
/// word may carry the article joined to it ("Almuhandis" is also "Muhandis"). Articles
/// standing alone are dropped, unless the text is nothing else.
pub fn tokens(text: &str) -> Vec<Vec<Token>> {
    let folded = fold(text);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let all_articles = words.iter().all(|w| ARTICLES.contains(w));
    words
        .into_iter()
        .filter(|w| all_articles || !ARTICLES.contains(w))
        .map(|w| {
            let mut forms = vec![token(w)];
            if let Some(rest) = joined_article(w) {
                forms.push(token(rest));
            }
            forms
        })
        .collect()
}

/// The word without a joined article ("almuhandis" → "muhandis"), when what follows is
/// long enough to be a name of its own.
fn joined_article(word: &str) -> Option<&str> {
    ["al", "el"]
        .iter()
        .find_map(|a| word.strip_prefix(a))
        .filter(|rest| rest.chars().count() >= 4 && !rest.starts_with(|c: char| c.is_ascii_digit()))
}

/// The key and skeleton of one folded word.
pub fn token(word: &str) -> Token {
    let key = key(word);
    let skeleton = skeleton(&key);
    Token { key, skeleton }
}

/// Digraphs, longest first, and what they become; then single letters.
const DIGRAPHS: &[(&str, &str)] = &[
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
    ("ey", "ai"),
    ("ay", "ai"),
];

/// A folded word after the romanisation rules (see the module's documentation). Numbers
/// are kept as they are.
pub fn key(word: &str) -> String {
    if word.chars().all(|c| c.is_ascii_digit()) {
        return word.to_owned();
    }
    // A final h after a vowel is often left out ("Nujabah"/"Nujaba", "Fatimah").
    let word = match word.strip_suffix('h') {
        Some(stem) if stem.ends_with(['a', 'e']) && stem.chars().count() >= 3 => stem,
        _ => word,
    };
    let mut mapped = String::with_capacity(word.len());
    let mut rest = word;
    while let Some(c) = rest.chars().next() {
        if let Some((from, to)) = DIGRAPHS.iter().find(|(from, _)| rest.starts_with(from)) {
            mapped.push_str(to);
            rest = &rest[from.len()..];
            continue;
        }
        let next = rest[c.len_utf8()..].chars().next();
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
        assert_eq!(keys("Nujabah"), keys("Nujaba"));
        assert_eq!(keys("Nojaba"), keys("Nujaba"));
        assert_eq!(keys("Kadhimi"), keys("Kazimi"));
        assert_eq!(keys("Fayyadh"), keys("Fayyaz"));
        assert_eq!(keys("Nouri"), keys("Nuri"));
    }

    #[test]
    fn vowel_spellings_share_a_skeleton() {
        for spelling in ["Hezbollah", "Hizballah", "Hizbullah", "Hizbollah"] {
            assert_eq!(skeletons(spelling), ["hzbl"], "{spelling}");
        }
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
    }
}
