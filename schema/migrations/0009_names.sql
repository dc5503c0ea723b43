-- claimgraph schema 9: names as reporting spells them.
--
-- Every name and alias of an actor or a location, folded (case, diacritics, apostrophes,
-- punctuation) for exact matches, and each of its words under the romanisation rules
-- (`storage::names::spelling`): its key, and its skeleton (the key without vowels), by which
-- "Sulaimani" finds "Qasem Soleimani"; and the whole name's consonants joined, by which
-- "Albukamal" finds "Abu Kamal". `skeleton_grams` holds the trigrams of every word's
-- skeleton, to find the words a typo away. claimgraph fills these tables when it writes a record; the
-- rules live in Rust, so this migration only makes them and claimgraph fills them for what
-- an older database holds right after it (`storage::names::rebuild`).

CREATE TABLE names (
    row     INTEGER PRIMARY KEY,
    node_id TEXT NOT NULL,
    type    TEXT NOT NULL,
    alias   INTEGER NOT NULL,
    text    TEXT NOT NULL,
    folded  TEXT NOT NULL,
    joined  TEXT NOT NULL,
    words   INTEGER NOT NULL
);
CREATE INDEX names_by_folded ON names (folded);
CREATE INDEX names_by_joined ON names (joined);
CREATE INDEX names_by_node ON names (node_id);

CREATE TABLE name_words (
    skeleton TEXT NOT NULL,
    name_row INTEGER NOT NULL,
    key      TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (skeleton, name_row, key, position)
) WITHOUT ROWID;
CREATE INDEX name_words_by_key ON name_words (key, name_row);
CREATE INDEX name_words_by_row ON name_words (name_row);

CREATE TABLE skeleton_grams (
    gram     TEXT NOT NULL,
    skeleton TEXT NOT NULL,
    PRIMARY KEY (gram, skeleton)
) WITHOUT ROWID;
