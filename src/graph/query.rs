//! The root `Query`: lookups by id, filtered lists, search, and the relation vocabulary.

use async_graphql::{Context, ErrorExtensions, ID, InputObject, Object};

use super::connection::Paging;
use super::enums::{
    ActorKind, ClaimStatus, EventKind, LocationKind, Relation, SourceKind, StancePosition,
};
use super::error::{GraphError, GraphResult};
use super::loaders::{data, entity};
use super::scalars::Date;
use super::types::node::{FromEntity, nodes, require};
use super::types::{
    ActorConnection, ActorObj, ClaimConnection, ClaimObj, EventConnection, EventObj,
    LocationConnection, LocationObj, Node, RelationInfo, SearchHit, SourceConnection, SourceObj,
    StanceConnection, StanceObj, StatementConnection, StatementObj,
};
use crate::model::{self, UNKNOWN};
use crate::storage::Param;
use crate::storage::query::{ListSpec, contains_pattern, within as inside};
use crate::storage::search::search;

/// The most hits `search` returns.
pub const MAX_HITS: i32 = 100;

/// Read access to the graph.
#[derive(Default)]
pub struct Query;

fn text(s: impl Into<String>) -> Param<'static> {
    crate::storage::conn::text(s)
}

/// A lookup's answer: a missing node is null beside a NOT_FOUND error, so that the other
/// root fields of the request still answer.
fn or_null<T>(ctx: &Context<'_>, found: GraphResult<T>) -> GraphResult<Option<T>> {
    match found {
        Ok(t) => Ok(Some(t)),
        Err(e @ GraphError::NotFound(_)) => {
            let error = e.extend().into_server_error(ctx.item.pos);
            ctx.add_error(ctx.set_error_path(error));
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Checks that a filter's id names a node of type `T`, so a typo is an error, not an empty list.
pub(crate) async fn known<T: FromEntity>(
    ctx: &Context<'_>,
    argument: &str,
    id: &ID,
) -> GraphResult<String> {
    require::<T>(ctx, id.as_str()).await.map_err(|e| match e {
        // Only an id that names nothing (or the wrong type) is the caller's mistake; a
        // busy, stopped or failing database keeps its own code.
        GraphError::NotFound(_) | GraphError::BadUserInput(_) => {
            GraphError::BadUserInput(format!("`{argument}`: {}", e.message()))
        }
        e => e,
    })?;
    Ok(id.to_string())
}

/// [`known`] for an argument that may be left out.
pub(crate) async fn known_if<T: FromEntity>(
    ctx: &Context<'_>,
    argument: &str,
    id: Option<ID>,
) -> GraphResult<Option<String>> {
    match id {
        Some(id) => Ok(Some(known::<T>(ctx, argument, &id).await?)),
        None => Ok(None),
    }
}

fn date_range(spec: ListSpec, from: Option<Date>, to: Option<Date>) -> GraphResult<ListSpec> {
    if let (Some(f), Some(t)) = (from, to)
        && t.0.last_day() < f.0.first_day()
    {
        return Err(GraphError::BadUserInput(format!(
            "`to` ({}) is before `from` ({})",
            t.0, f.0
        )));
    }
    let mut spec = spec;
    if let Some(f) = from {
        spec = spec.when("t.last_day >= ?", vec![text(f.0.first_day().to_string())]);
    }
    if let Some(t) = to {
        spec = spec.when("t.first_day <= ?", vec![text(t.0.last_day().to_string())]);
    }
    Ok(spec)
}

async fn page<F, Fut, C>(
    ctx: &Context<'_>,
    spec: ListSpec,
    paging: Paging,
    build: F,
) -> GraphResult<C>
where
    F: FnOnce(crate::storage::query::Page, ListSpec) -> Fut,
    Fut: std::future::Future<Output = GraphResult<C>>,
{
    let window = paging.window()?;
    for (name, key) in [("after", &window.after), ("before", &window.before)] {
        if key.as_deref().is_some_and(|k| !spec.accepts_key(k)) {
            return Err(GraphError::BadUserInput(format!(
                "`{name}` is not a cursor of this list: pass a `cursor`, `startCursor` or `endCursor` it returned"
            )));
        }
    }
    // A query that asks only for `totalCount` reads no page, and one that does not ask for
    // `pageInfo` does not look beyond its page.
    let wanted = ctx.look_ahead();
    let items = wanted.field("edges").exists() || wanted.field("nodes").exists();
    let neighbours = wanted.field("pageInfo").exists();
    if !items && !neighbours {
        return build(crate::storage::query::Page::default(), spec).await;
    }
    let for_page = spec.clone();
    let found = data(ctx)?
        .reads
        .read(move |conn| for_page.page(conn, &window, neighbours))
        .await?;
    build(found, spec).await
}

/// Which stances a claim must have to be listed: "claims Iran denies" is
/// `{by: "iran", position: DENIES}`.
#[derive(InputObject, Debug, Clone, Default)]
pub struct StanceFilter {
    /// The party whose stance it must be (an actor id); any party when left out.
    pub by: Option<ID>,
    /// One of these positions; any position when left out.
    pub position: Option<Vec<StancePosition>>,
}

/// The condition "the claim `t` has a stance by `by` with one of `positions`" (either may be
/// left out), read from the stances' index by actor and position.
fn with_stance(spec: ListSpec, by: Option<String>, positions: &[StancePosition]) -> ListSpec {
    let mut sql = String::from("t.id IN (SELECT s.claim_id FROM stances s WHERE 1 = 1");
    let mut params = Vec::new();
    if let Some(by) = by {
        sql.push_str(" AND s.actor_id = ?");
        params.push(text(by));
    }
    if let Some((condition, words)) = one_of("s.position", positions) {
        sql.push_str(&format!(" AND {condition}"));
        params.extend(words);
    }
    sql.push(')');
    spec.when(&sql, params)
}

/// `column IN (?, …)` with the positions' words, or nothing when no position is given.
fn one_of(column: &str, positions: &[StancePosition]) -> Option<(String, Vec<Param<'static>>)> {
    if positions.is_empty() {
        return None;
    }
    let marks = vec!["?"; positions.len()].join(", ");
    let words = positions
        .iter()
        .map(|p| text(model::StancePosition::from(*p).as_str()))
        .collect();
    Some((format!("{column} IN ({marks})"), words))
}

/// Read access to the graph.
#[Object(name = "LookupQuery")]
impl Query {
    /// The node with this id, of any type; null and NOT_FOUND when there is none.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The id of any node; a merged actor's id gives the actor it was merged into."
        )]
        id: ID,
    ) -> GraphResult<Option<Node>> {
        or_null(ctx, require::<Node>(ctx, id.as_str()).await)
    }

    /// The nodes with these ids, in the same order; null for an id that names nothing.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The ids of the nodes, in the order the answer keeps.")] ids: Vec<ID>,
    ) -> GraphResult<Vec<Option<Node>>> {
        let wanted: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
        let found = nodes(ctx, &wanted).await?;
        Ok(wanted
            .iter()
            .map(|id| {
                found
                    .iter()
                    .find(|n| super::types::node_id(n) == *id)
                    .cloned()
            })
            .collect())
    }

    /// The actor with this id.
    async fn actor(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The actor's id; a merged actor's id gives the actor it was merged into."
        )]
        id: ID,
    ) -> GraphResult<Option<ActorObj>> {
        or_null(ctx, require(ctx, id.as_str()).await)
    }
    /// The location with this id.
    async fn location(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The location's id.")] id: ID,
    ) -> GraphResult<Option<LocationObj>> {
        or_null(ctx, require(ctx, id.as_str()).await)
    }
    /// The event with this id.
    async fn event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event's id.")] id: ID,
    ) -> GraphResult<Option<EventObj>> {
        or_null(ctx, require(ctx, id.as_str()).await)
    }
    /// The source with this id.
    async fn source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The source's id.")] id: ID,
    ) -> GraphResult<Option<SourceObj>> {
        or_null(ctx, require(ctx, id.as_str()).await)
    }
    /// The statement with this id.
    async fn statement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The statement's id.")] id: ID,
    ) -> GraphResult<Option<StatementObj>> {
        or_null(ctx, require(ctx, id.as_str()).await)
    }
    /// The claim with this id.
    async fn claim(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The claim's id.")] id: ID,
    ) -> GraphResult<Option<ClaimObj>> {
        or_null(ctx, require(ctx, id.as_str()).await)
    }
    /// The stance with this id.
    async fn stance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The stance's id.")] id: ID,
    ) -> GraphResult<Option<StanceObj>> {
        or_null(ctx, require(ctx, id.as_str()).await)
    }

    /// Actors by id, filtered by kind and by a name or alias containing `name` (any case).
    #[allow(clippy::too_many_arguments)]
    async fn actors(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only actors of this kind.")] kind: Option<ActorKind>,
        #[graphql(desc = "Only actors whose name or an alias contains this text, in any case.")]
        name: Option<String>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<ActorConnection> {
        let mut spec = ListSpec::new("actors");
        if let Some(k) = kind {
            spec = spec.when("t.kind = ?", vec![text(model::ActorKind::from(k).as_str())]);
        }
        if let Some(n) = name {
            let p = contains_pattern(&n);
            spec = spec.when(
                "lower(t.name) LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM aliases a WHERE a.node_id = t.id AND lower(a.alias) LIKE ? ESCAPE '\\')",
                vec![text(p.clone()), text(p)],
            );
        }
        page(
            ctx,
            spec,
            Paging::new(first, after, last, before),
            |p, s| ActorConnection::from_page(ctx, p, s),
        )
        .await
    }

    /// Locations by id, filtered by kind and by lying `within` a location (at any depth).
    #[allow(clippy::too_many_arguments)]
    async fn locations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only locations of this kind.")] kind: Option<LocationKind>,
        #[graphql(
            desc = "Only locations inside this location, at any depth (not the location itself)."
        )]
        within: Option<ID>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<LocationConnection> {
        let mut spec = ListSpec::new("locations");
        if let Some(k) = kind {
            spec = spec.when(
                "t.kind = ?",
                vec![text(model::LocationKind::from(k).as_str())],
            );
        }
        if let Some(w) = within {
            let id = known::<LocationObj>(ctx, "within", &w).await?;
            spec = spec.when(
                &format!("t.id <> ? AND {}", inside("t.id")),
                vec![text(id.clone()), text(id)],
            );
        }
        page(
            ctx,
            spec,
            Paging::new(first, after, last, before),
            |p, s| LocationConnection::from_page(ctx, p, s),
        )
        .await
    }

    /// Events in time order (undated last), filtered by kind, by overlapping the dates `from`
    /// to `to`, by lying `within` a location (including everything inside it), and by
    /// `involving` an actor (linked to the event by any claim).
    #[allow(clippy::too_many_arguments)]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only events of this kind.")] kind: Option<EventKind>,
        #[graphql(desc = "Only events that overlap this date or come after it.")] from: Option<
            Date,
        >,
        #[graphql(desc = "Only events that overlap this date or come before it.")] to: Option<Date>,
        #[graphql(desc = "Only events at this location or anywhere inside it.")] within: Option<ID>,
        #[graphql(desc = "Only events linked to this actor by any claim.")] involving: Option<ID>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<EventConnection> {
        let mut spec = ListSpec::new("events");
        if let Some(k) = kind {
            spec = spec.when("t.kind = ?", vec![text(model::EventKind::from(k).as_str())]);
        }
        spec = date_range(spec, from, to)?;
        if let Some(w) = within {
            let id = known::<LocationObj>(ctx, "within", &w).await?;
            spec = spec.when(&inside("t.location_id"), vec![text(id)]);
        }
        if let Some(a) = involving {
            let id = known::<ActorObj>(ctx, "involving", &a).await?;
            spec = spec.when(
                "EXISTS (SELECT 1 FROM claims c WHERE (c.subject_id = t.id AND c.object_id = ?) OR (c.object_id = t.id AND c.subject_id = ?))",
                vec![text(id.clone()), text(id)],
            );
        }
        page(
            ctx,
            spec,
            Paging::new(first, after, last, before),
            |p, s| EventConnection::from_page(ctx, p, s),
        )
        .await
    }

    /// Sources by id, filtered by kind.
    async fn sources(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only sources of this kind.")] kind: Option<SourceKind>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<SourceConnection> {
        let mut spec = ListSpec::new("sources");
        if let Some(k) = kind {
            spec = spec.when(
                "t.kind = ?",
                vec![text(model::SourceKind::from(k).as_str())],
            );
        }
        page(
            ctx,
            spec,
            Paging::new(first, after, last, before),
            |p, s| SourceConnection::from_page(ctx, p, s),
        )
        .await
    }

    /// Statements in time order, filtered by speaker, by the dates `from` to `to`, by being
    /// said `within` a location (including everything inside it), and by `text` they contain.
    #[allow(clippy::too_many_arguments)]
    async fn statements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only statements by this actor.")] speaker: Option<ID>,
        #[graphql(desc = "Only statements dated to overlap this date or come after it.")]
        from: Option<Date>,
        #[graphql(desc = "Only statements dated to overlap this date or come before it.")]
        to: Option<Date>,
        #[graphql(desc = "Only statements made at this location or anywhere inside it.")]
        within: Option<ID>,
        #[graphql(desc = "Only statements whose text contains these words, in any case.")]
        text: Option<String>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<StatementConnection> {
        let mut spec = ListSpec::new("statements");
        if let Some(s) = speaker {
            let id = known::<ActorObj>(ctx, "speaker", &s).await?;
            spec = spec.when("t.speaker_id = ?", vec![self::text(id)]);
        }
        spec = date_range(spec, from, to)?;
        if let Some(w) = within {
            let id = known::<LocationObj>(ctx, "within", &w).await?;
            spec = spec.when(&inside("t.location_id"), vec![self::text(id)]);
        }
        if let Some(t) = text {
            spec = spec.when(
                "lower(t.text) LIKE ? ESCAPE '\\'",
                vec![self::text(contains_pattern(&t))],
            );
        }
        page(
            ctx,
            spec,
            Paging::new(first, after, last, before),
            |p, s| StatementConnection::from_page(ctx, p, s),
        )
        .await
    }

    /// Stances by id, filtered by the claim they are on, the party that took them and
    /// their position.
    #[allow(clippy::too_many_arguments)]
    async fn stances(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only stances on this claim.")] claim: Option<ID>,
        #[graphql(desc = "Only stances this actor took.")] by: Option<ID>,
        #[graphql(desc = "Only stances with one of these positions (`DENIES`, or a list).")]
        position: Option<Vec<StancePosition>>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<StanceConnection> {
        let mut spec = ListSpec::new("stances");
        if let Some(c) = claim {
            let id = known::<ClaimObj>(ctx, "claim", &c).await?;
            spec = spec.when("t.claim_id = ?", vec![text(id)]);
        }
        if let Some(a) = by {
            let id = known::<ActorObj>(ctx, "by", &a).await?;
            spec = spec.when("t.actor_id = ?", vec![text(id)]);
        }
        if let Some((condition, words)) = one_of("t.position", &position.unwrap_or_default()) {
            spec = spec.when(&condition, words);
        }
        page(
            ctx,
            spec,
            Paging::new(first, after, last, before),
            |p, s| StanceConnection::from_page(ctx, p, s),
        )
        .await
    }

    /// Claims by id, filtered by relation, subject, object, asserter (an actor id, or
    /// "unknown"), status, least confidence, and the stances parties took on them ("claims
    /// Iran denies": `stance: {by: "iran", position: DENIES}`).
    #[allow(clippy::too_many_arguments)]
    async fn claims(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only claims with this relation.")] relation: Option<Relation>,
        #[graphql(desc = "Only claims about this node (their subject).")] subject: Option<ID>,
        #[graphql(desc = "Only claims with this node as their object.")] object: Option<ID>,
        #[graphql(
            desc = "Only claims asserted by this actor; \"unknown\" for claims in a source's own voice."
        )]
        asserted_by: Option<ID>,
        #[graphql(desc = "Only claims with this status.")] status: Option<ClaimStatus>,
        #[graphql(desc = "Only claims at least this confident (0–100).")] min_confidence: Option<
            i32,
        >,
        #[graphql(
            desc = "Only claims on which a party took a stance: by this actor (`by`), with one of these positions (`position`), or both."
        )]
        stance: Option<StanceFilter>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<ClaimConnection> {
        let mut spec = ListSpec::new("claims");
        if let Some(r) = relation {
            spec = spec.when(
                "t.relation = ?",
                vec![text(model::Relation::from(r).as_str())],
            );
        }
        for (argument, column, id) in [
            ("subject", "t.subject_id", subject),
            ("object", "t.object_id", object),
        ] {
            if let Some(id) = id {
                if entity(ctx, id.as_str()).await?.is_none() {
                    return Err(GraphError::BadUserInput(format!(
                        "`{argument}`: no node {:?}",
                        id.as_str()
                    )));
                }
                spec = spec.when(&format!("{column} = ?"), vec![text(id.to_string())]);
            }
        }
        match asserted_by {
            Some(a) if a.as_str() == UNKNOWN => {
                spec = spec.when("t.asserted_by_id IS NULL", vec![])
            }
            Some(a) => {
                let id = known::<ActorObj>(ctx, "assertedBy", &a).await?;
                spec = spec.when("t.asserted_by_id = ?", vec![text(id)]);
            }
            None => {}
        }
        if let Some(s) = status {
            spec = spec.when(
                "t.status = ?",
                vec![text(model::ClaimStatus::from(s).as_str())],
            );
        }
        if let Some(m) = min_confidence {
            if !(0..=100).contains(&m) {
                return Err(GraphError::BadUserInput(format!(
                    "`minConfidence` must be from 0 to 100, not {m}"
                )));
            }
            spec = spec.when("t.confidence >= ?", vec![Param::Integer(i64::from(m))]);
        }
        if let Some(f) = stance {
            let by = known_if::<ActorObj>(ctx, "stance.by", f.by).await?;
            spec = with_stance(spec, by, &f.position.unwrap_or_default());
        }
        page(
            ctx,
            spec,
            Paging::new(first, after, last, before),
            |p, s| ClaimConnection::from_page(ctx, p, s),
        )
        .await
    }

    /// Search, best first: actors' and locations' names and aliases however they are
    /// romanised (exactly, by the spelling rules, or with a typo), then full text over names,
    /// titles, descriptions and statement text. Case, diacritics, apostrophes and hyphens do
    /// not matter; `matchedBy` says how each hit matched.
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "What to find: a name in any spelling, or words (each matches as a word or the start of one)."
        )]
        query: String,
        #[graphql(default = 10, desc = "How many hits, best first (0–100).")] first: i32,
    ) -> GraphResult<Vec<SearchHit>> {
        if !(0..=MAX_HITS).contains(&first) {
            return Err(GraphError::BadUserInput(format!(
                "`first` must be from 0 to {MAX_HITS}, not {first}"
            )));
        }
        let limit = first as usize;
        let hits = data(ctx)?
            .reads
            .read(move |conn| search(conn, &query, limit))
            .await?;
        let ids: Vec<String> = hits.iter().map(|h| h.id.clone()).collect();
        let found = nodes(ctx, &ids).await?;
        Ok(hits
            .into_iter()
            .filter_map(|h| {
                let node = found
                    .iter()
                    .find(|n| super::types::node_id(n) == h.id)?
                    .clone();
                Some(SearchHit {
                    node,
                    score: h.score,
                    matched_by: h.how.into(),
                    matched_name: h.name,
                    snippet: h.snippet,
                })
            })
            .collect())
    }

    /// The relation vocabulary: every relation with the kinds it may link.
    async fn relations(&self) -> Vec<RelationInfo> {
        RelationInfo::all()
    }
}
