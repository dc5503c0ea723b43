//! The root `Mutation`: editors add and change records, change claims' status, and merge
//! actors. Every mutation needs an editor's token, names the version it was based on when it
//! changes a node, and is recorded in the node's history.

use async_graphql::{Context, ErrorExtensions, ID, Object};
use serde_json::{Map, Value};

use super::enums::ClaimStatus;
use super::error::{GraphError, GraphResult};
use super::inputs::{
    ActorInput, ActorPatch, ClaimInput, EventInput, EventPatch, LocationInput, LocationPatch,
    SourceInput, SourcePatch, StanceInput, StancePatch, StatementInput, fields,
};
use super::loaders::data;
use super::types::node::FromEntity;
use super::types::{ActorObj, ClaimObj, EventObj, LocationObj, SourceObj, StanceObj, StatementObj};
use crate::auth::Access;
use crate::edit::{self, EditError, Notices, Target};
use crate::model::{self, EntityType};
use crate::storage::Edit;
use crate::storage::history::Action;

/// Write access to the graph, for editors.
pub struct Mutation;

/// The editor's name, or READ_ONLY / UNAUTHENTICATED saying what is missing.
pub(super) fn editor(ctx: &Context<'_>) -> GraphResult<String> {
    let data = data(ctx)?;
    if data.db.is_read_only() {
        return Err(GraphError::ReadOnly(
            "this server serves its database read-only: the process may not write the database file. Make the file writable by the server's user and restart it to accept edits".into(),
        ));
    }
    match &data.access {
        Access::Editor(name) => Ok(name.clone()),
        Access::ReadOnlyServer => Err(GraphError::Unauthenticated(
            "this server is read-only: it was started without --tokens. Start it with `claimgraph serve --tokens FILE` to accept edits".into(),
        )),
        Access::Anonymous => Err(GraphError::Unauthenticated(
            "writing needs an editor's token: send the header `Authorization: Bearer TOKEN`".into(),
        )),
        Access::Refused => Err(GraphError::Unauthenticated(
            "the token in the Authorization header is not an editor's token of this server; check it, or ask for one to be added to the server's tokens file".into(),
        )),
    }
}

fn notices<'a>(ctx: &Context<'a>) -> GraphResult<&'a Notices> {
    ctx.data::<Notices>().map_err(|_| {
        tracing::error!("the schema was built without its notices channel");
        GraphError::Internal
    })
}

/// A reason, which must say something when it is required.
fn reason(given: Option<String>, required: bool) -> GraphResult<Option<String>> {
    let given = given.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    if required && given.is_none() {
        return Err(GraphError::InvalidField {
            field: "reason".into(),
            message: "`reason`: say why, e.g. which source contradicts the claim".into(),
        });
    }
    Ok(given)
}

/// A failed change as GraphQL errors: the first is returned, the rest are added beside it.
fn failed(ctx: &Context<'_>, e: EditError, argument: &str) -> async_graphql::Error {
    let mut errors = GraphError::from_edit(e, argument).into_iter();
    let first = errors.next().unwrap_or(GraphError::Internal);
    for other in errors {
        let error = other.extend().into_server_error(ctx.item.pos);
        ctx.add_error(ctx.set_error_path(error));
    }
    first.extend()
}

/// The written node as the GraphQL type the mutation returns. The request's later reads
/// see the graph as it is after the write, and the node answers with the fields and version
/// the write gave it, whatever other editors commit meanwhile.
async fn answer<T: FromEntity>(
    ctx: &Context<'_>,
    written: Result<edit::Changed, EditError>,
    argument: &str,
) -> async_graphql::Result<T> {
    let data = data(ctx)?;
    match written {
        Ok((entity, version)) => {
            data.forget(Some((&entity, version))).await;
            T::from_entity(&entity).ok_or_else(|| GraphError::Internal.extend())
        }
        Err(e) => {
            data.forget(None).await;
            Err(failed(ctx, e, argument))
        }
    }
}

/// The GraphQL version number as the store keeps it.
fn target(section: EntityType, id: ID, version: i64, argument: &'static str) -> Target {
    Target {
        section,
        id: id.to_string(),
        version,
        argument,
    }
}

impl Mutation {
    async fn create<T: FromEntity>(
        ctx: &Context<'_>,
        section: EntityType,
        input: Map<String, Value>,
        why: Option<String>,
    ) -> async_graphql::Result<T> {
        let edit = Edit::by(editor(ctx)?).because(reason(why, false)?);
        let db = data(ctx)?.db.clone();
        let written = edit::create(&db, notices(ctx)?, section, input, edit).await;
        answer(ctx, written, "input").await
    }

    async fn update<T: FromEntity>(
        ctx: &Context<'_>,
        target: Target,
        patch: Map<String, Value>,
        action: Action,
        why: Option<String>,
    ) -> async_graphql::Result<T> {
        let required = action == Action::StatusChanged;
        let edit = Edit::by(editor(ctx)?).because(reason(why, required)?);
        let db = data(ctx)?.db.clone();
        let written = edit::update(&db, notices(ctx)?, target, patch, action, edit).await;
        answer(ctx, written, "set").await
    }
}

/// Write access to the graph, for editors.
#[Object]
impl Mutation {
    /// Adds an actor.
    async fn create_actor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new actor.")] input: ActorInput,
        #[graphql(desc = "Why, in the editor's words; the node's history keeps it.")]
        reason: Option<String>,
    ) -> async_graphql::Result<ActorObj> {
        Mutation::create(ctx, EntityType::Actor, fields(&input), reason).await
    }

    /// Changes an actor that is at `version`.
    async fn update_actor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the actor to change.")] id: ID,
        #[graphql(
            desc = "The version the change is based on; CONFLICT if the node has changed since."
        )]
        version: i64,
        #[graphql(
            desc = "The fields to change; a field set to null is cleared, one left out stays."
        )]
        set: ActorPatch,
        #[graphql(desc = "Why, in the editor's words; the node's history keeps it.")]
        reason: Option<String>,
    ) -> async_graphql::Result<ActorObj> {
        let target = target(EntityType::Actor, id, version, "id");
        Mutation::update(ctx, target, fields(&set), Action::Updated, reason).await
    }

    /// Adds a location.
    async fn create_location(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new location.")] input: LocationInput,
        #[graphql(desc = "Why, in the editor's words; the node's history keeps it.")]
        reason: Option<String>,
    ) -> async_graphql::Result<LocationObj> {
        Mutation::create(ctx, EntityType::Location, fields(&input), reason).await
    }

    /// Changes a location that is at `version`.
    async fn update_location(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the location to change.")] id: ID,
        #[graphql(
            desc = "The version the change is based on; CONFLICT if the node has changed since."
        )]
        version: i64,
        #[graphql(
            desc = "The fields to change; a field set to null is cleared, one left out stays."
        )]
        set: LocationPatch,
        #[graphql(desc = "Why, in the editor's words; the node's history keeps it.")]
        reason: Option<String>,
    ) -> async_graphql::Result<LocationObj> {
        let target = target(EntityType::Location, id, version, "id");
        Mutation::update(ctx, target, fields(&set), Action::Updated, reason).await
    }

    /// Adds an event; subscribers of `eventAdded` hear of it.
    async fn create_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new event.")] input: EventInput,
        #[graphql(desc = "Why, in the editor's words; the node's history keeps it.")]
        reason: Option<String>,
    ) -> async_graphql::Result<EventObj> {
        Mutation::create(ctx, EntityType::Event, fields(&input), reason).await
    }

    /// Changes an event that is at `version`.
    async fn update_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the event to change.")] id: ID,
        #[graphql(
            desc = "The version the change is based on; CONFLICT if the node has changed since."
        )]
        version: i64,
        #[graphql(
            desc = "The fields to change; a field set to null is cleared, one left out stays."
        )]
        set: EventPatch,
        #[graphql(desc = "Why, in the editor's words; the node's history keeps it.")]
        reason: Option<String>,
    ) -> async_graphql::Result<EventObj> {
        let target = target(EntityType::Event, id, version, "id");
        Mutation::update(ctx, target, fields(&set), Action::Updated, reason).await
    }

    /// Adds a source.
    async fn create_source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new source.")] input: SourceInput,
        #[graphql(desc = "Why, in the editor's words; the node's history keeps it.")]
        reason: Option<String>,
    ) -> async_graphql::Result<SourceObj> {
        Mutation::create(ctx, EntityType::Source, fields(&input), reason).await
    }

    /// Changes a source that is at `version`.
    async fn update_source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the source to change.")] id: ID,
        #[graphql(
            desc = "The version the change is based on; CONFLICT if the node has changed since."
        )]
        version: i64,
        #[graphql(
            desc = "The fields to change; a field set to null is cleared, one left out stays."
        )]
        set: SourcePatch,
        #[graphql(desc = "Why, in the editor's words; the node's history keeps it.")]
        reason: Option<String>,
    ) -> async_graphql::Result<SourceObj> {
        let target = target(EntityType::Source, id, version, "id");
        Mutation::update(ctx, target, fields(&set), Action::Updated, reason).await
    }

    /// Records words someone said, as a source reports them.
    async fn record_statement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The statement, with its speaker and the source that reports it.")]
        input: StatementInput,
        #[graphql(desc = "Why, in the editor's words; the node's history keeps it.")]
        reason: Option<String>,
    ) -> async_graphql::Result<StatementObj> {
        Mutation::create(ctx, EntityType::Statement, fields(&input), reason).await
    }

    /// Asserts a claim; subscribers of `claimChanged` hear of it.
    async fn assert_claim(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The claim, with who asserts it, in which source and how sure.")]
        input: ClaimInput,
        #[graphql(desc = "Why, in the editor's words; the node's history keeps it.")]
        reason: Option<String>,
    ) -> async_graphql::Result<ClaimObj> {
        Mutation::create(ctx, EntityType::Claim, fields(&input), reason).await
    }

    /// Disputes, confirms or refutes a claim that is at `version` (or asserts it again),
    /// saying why. The claim stays in the graph whatever its status.
    async fn set_claim_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the claim.")] id: ID,
        #[graphql(
            desc = "The version the change is based on; CONFLICT if the node has changed since."
        )]
        version: i64,
        #[graphql(desc = "Its new status.")] status: ClaimStatus,
        #[graphql(
            desc = "Why the status changes (another source contradicts it, evidence confirms it); required, and kept in the claim's history."
        )]
        reason: String,
    ) -> async_graphql::Result<ClaimObj> {
        let target = target(EntityType::Claim, id, version, "id");
        let mut patch = Map::new();
        patch.insert(
            "status".into(),
            Value::String(model::ClaimStatus::from(status).as_str().into()),
        );
        Mutation::update(ctx, target, patch, Action::StatusChanged, Some(reason)).await
    }

    /// Records a party's position on a claim (a denial, a confirmation), as a source
    /// reports it; subscribers of `stanceChanged` hear of it.
    async fn take_stance(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The stance: whose, on which claim, what position, who reports it and where."
        )]
        input: StanceInput,
        #[graphql(desc = "Why, in the editor's words; the node's history keeps it.")]
        reason: Option<String>,
    ) -> async_graphql::Result<StanceObj> {
        Mutation::create(ctx, EntityType::Stance, fields(&input), reason).await
    }

    /// Changes a stance that is at `version` (a position misread, a better source); nothing
    /// is deleted, so a stance recorded by mistake is corrected here. Subscribers of
    /// `stanceChanged` hear of it.
    async fn update_stance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the stance to change.")] id: ID,
        #[graphql(
            desc = "The version the change is based on; CONFLICT if the node has changed since."
        )]
        version: i64,
        #[graphql(
            desc = "The fields to change; a field set to null is cleared, one left out stays."
        )]
        set: StancePatch,
        #[graphql(desc = "Why, in the editor's words; the node's history keeps it.")]
        reason: Option<String>,
    ) -> async_graphql::Result<StanceObj> {
        let target = target(EntityType::Stance, id, version, "id");
        Mutation::update(ctx, target, fields(&set), Action::Updated, reason).await
    }

    /// Merges actor `id` (at `version`) into actor `into` (at `intoVersion`) when the two
    /// ids turn out to name one actor: `into` takes its names and sources, every claim,
    /// statement and source that linked to it links to `into`, and `id` resolves to `into`
    /// from then on. Nothing is deleted; both histories record the merge.
    async fn merge_actor(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The id of the actor that goes away: it resolves to `into` from then on."
        )]
        id: ID,
        #[graphql(
            desc = "The version of actor `id` the merge is based on; CONFLICT if it has changed since."
        )]
        version: i64,
        #[graphql(
            desc = "The id of the actor that stays and takes the other's names, sources and links."
        )]
        into: ID,
        #[graphql(
            desc = "The version of actor `into` the merge is based on; CONFLICT if it has changed since."
        )]
        into_version: i64,
        #[graphql(desc = "Why the two ids name one actor; required, and kept in both histories.")]
        reason: String,
    ) -> async_graphql::Result<ActorObj> {
        let edit = Edit::by(editor(ctx)?).because(self::reason(Some(reason), true)?);
        let from = target(EntityType::Actor, id, version, "id");
        let into = target(EntityType::Actor, into, into_version, "into");
        let db = data(ctx)?.db.clone();
        let written = edit::merge(&db, notices(ctx)?, from, into, edit).await;
        answer(ctx, written, "id").await
    }

    /// Merges location `id` (at `version`) into location `into` (at `intoVersion`) when the
    /// two ids turn out to name one place: `into` takes its names and sources (and its
    /// coordinates and description if it has none), every event, statement and claim located
    /// at or linked to it moves to `into`, the places inside it move inside `into`, and `id`
    /// resolves to `into` from then on. `into` keeps its own parent; it may not lie inside
    /// `id`. Nothing is deleted; both histories record the merge.
    async fn merge_location(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The id of the location that goes away: it resolves to `into` from then on."
        )]
        id: ID,
        #[graphql(
            desc = "The version of location `id` the merge is based on; CONFLICT if it has changed since."
        )]
        version: i64,
        #[graphql(
            desc = "The id of the location that stays and takes the other's names, sources and links."
        )]
        into: ID,
        #[graphql(
            desc = "The version of location `into` the merge is based on; CONFLICT if it has changed since."
        )]
        into_version: i64,
        #[graphql(desc = "Why the two ids name one place; required, and kept in both histories.")]
        reason: String,
    ) -> async_graphql::Result<LocationObj> {
        let edit = Edit::by(editor(ctx)?).because(self::reason(Some(reason), true)?);
        let from = target(EntityType::Location, id, version, "id");
        let into = target(EntityType::Location, into, into_version, "into");
        let db = data(ctx)?.db.clone();
        let written = edit::merge(&db, notices(ctx)?, from, into, edit).await;
        answer(ctx, written, "id").await
    }
}
