//! Who is asking, as far as writing goes: lets a frontend check an editor's token (and say
//! why edits would be refused) before it offers forms, without attempting a write.

use async_graphql::{Context, Object, SimpleObject};

use super::mutation::editor;

/// The `viewer` field of the root query.
#[derive(Default)]
pub struct ViewerQuery;

/// What the sender of this request may do.
#[derive(SimpleObject)]
pub struct Viewer {
    /// True when this request's token is an editor's and the server accepts edits.
    can_edit: bool,
    /// The editor's name (as history records it) when `canEdit`.
    editor: Option<String>,
    /// Why edits would be refused, when they would: no token, a token this server does not
    /// know, or a read-only server; the same words a mutation's error gives.
    why_not: Option<String>,
    /// The `extensions.code` a mutation would fail with (UNAUTHENTICATED, READ_ONLY), when
    /// it would.
    code: Option<String>,
}

#[Object]
impl ViewerQuery {
    /// Who sends this request and whether they may edit; reads need no token.
    async fn viewer(&self, ctx: &Context<'_>) -> Viewer {
        match editor(ctx) {
            Ok(name) => Viewer {
                can_edit: true,
                editor: Some(name),
                why_not: None,
                code: None,
            },
            Err(e) => Viewer {
                can_edit: false,
                editor: None,
                why_not: Some(e.message()),
                code: Some(e.code().to_owned()),
            },
        }
    }
}
