//! Sources: the documents that report what the graph holds.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Id, PartialDate, Text, word_enum};

word_enum! {
    /// What kind of document this is.
    SourceKind {
        /// A news article.
        NewsArticle = "news_article",
        /// A news report known only as cited by another source.
        NewsReport = "news_report",
        /// A statement issued by an official body.
        OfficialStatement = "official_statement",
        /// A post on social media or a messaging channel.
        SocialMediaPost = "social_media_post",
        /// A report by an organisation or researcher.
        Report = "report",
        /// Anything else.
        Other = "other",
    }
}

word_enum! {
    /// Source reliability on the NATO Admiralty scale.
    Reliability {
        /// Completely reliable.
        A = "A",
        /// Usually reliable.
        B = "B",
        /// Fairly reliable.
        C = "C",
        /// Not usually reliable.
        D = "D",
        /// Unreliable.
        E = "E",
        /// Reliability cannot be judged.
        F = "F",
    }
}

/// A document that reports something.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Stable id, unique across the graph.
    pub id: Id,
    /// What kind of document.
    pub kind: SourceKind,
    /// Its title, or a description of it when it has none.
    pub title: Text,
    /// The id of the actor that published it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Id>,
    /// Where it can be read (http or https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When it was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<PartialDate>,
    /// Reliability A–F (NATO Admiralty code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<Reliability>,
    /// The id of the source through which this one is known (a report cited by an article).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<Id>,
    /// Notes on the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}
