//! `GET /api/v1/stories` and `GET /api/v1/issues`: a period's stories
//! (syndicated copies grouped) and issues (stories about one matter),
//! each issue with its points of the negative percentage; `PATCH
//! /api/v1/issues/{id}`: an analyst renames an issue or merges it into
//! another, and `PUT /api/v1/stories/{id}/issue` moves a story to another
//! issue or splits it off into a new one, each with its audit entry.

use std::sync::Arc;

use axum::extract::{Extension, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use pantau_model::Period;
use pantau_store::{IssueAction, IssueChange};
use serde::Deserialize;

use super::auth::Principal;
use super::{entity, ApiError, ApiResult, Ctx};

/// The longest issue name: a headline's length.
const MAX_NAME: usize = 120;

/// An issue's name as given in `field`, trimmed, or why it is refused.
fn issue_name<'a>(field: &str, name: &'a str, errs: &mut Vec<String>) -> Option<&'a str> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        errs.push(format!("{field}: 1–{MAX_NAME} characters"));
        return None;
    }
    Some(name)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StoriesQuery {
    entity: Option<String>,
    /// `2026`, `2026-Q4`, `2026-11`, `FROM..TO`; default this month.
    period: Option<String>,
    /// Stories: only those of this issue.
    issue: Option<String>,
}

fn period_of(q: &StoriesQuery, tz: chrono_tz::Tz) -> ApiResult<Period> {
    match &q.period {
        Some(p) => p
            .parse()
            .map_err(|e| ApiError::BadRequest(format!("period: {e}"))),
        None => {
            use chrono::Datelike;
            let t = chrono::Utc::now().with_timezone(&tz);
            Ok(Period::Month(t.year(), t.month()))
        }
    }
}

/// `GET /api/v1/stories?entity&period&issue`: a list of `{id, title,
/// articles, outlets, sentiment, issue, …}`, most copies first.
pub(super) async fn stories(
    State(ctx): State<Arc<Ctx>>,
    Query(q): Query<StoriesQuery>,
) -> ApiResult<Response> {
    let e = entity(&ctx, q.entity.as_deref())?;
    let period = period_of(&q, e.time_zone)?;
    let (mut list, _) = crate::stories::view::compute(&ctx.store, e, &period)
        .await
        .map_err(|e| ApiError::unavailable("stories", format!("{e:#}")))?;
    if let Some(issue) = &q.issue {
        list.retain(|s| s.issue.as_deref() == Some(issue.as_str()));
    }
    Ok(Json(list).into_response())
}

/// `GET /api/v1/issues?entity&period`: the issues ranked by negative
/// articles, with the attribution.
pub(super) async fn issues(
    State(ctx): State<Arc<Ctx>>,
    Query(q): Query<StoriesQuery>,
) -> ApiResult<Response> {
    if q.issue.is_some() {
        return Err(ApiError::BadRequest(
            "issue: only /api/v1/stories takes it".into(),
        ));
    }
    let e = entity(&ctx, q.entity.as_deref())?;
    let period = period_of(&q, e.time_zone)?;
    let (_, report) = crate::stories::view::compute(&ctx.store, e, &period)
        .await
        .map_err(|e| ApiError::unavailable("issues", format!("{e:#}")))?;
    Ok(Json(report).into_response())
}

/// An analyst's change to an issue: exactly one of `name` and
/// `merge_into`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct IssueEdit {
    /// The entity (default: the only configured one).
    #[serde(default)]
    entity: Option<String>,
    /// The issue's new name.
    #[serde(default)]
    name: Option<String>,
    /// The issue its stories now count in.
    #[serde(default)]
    merge_into: Option<String>,
    /// Who changes it: with the shared token only (an account is itself).
    #[serde(default)]
    by: Option<String>,
}

/// `PATCH /api/v1/issues/{id}`: `{"name": …}` renames the issue,
/// `{"merge_into": …}` merges it into another; both are recorded in the
/// issues' audit trail (`pantau issues history`). 404 when the issue (or
/// the one to merge into) does not exist.
pub(super) async fn edit_issue(
    State(ctx): State<Arc<Ctx>>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let edit: IssueEdit =
        serde_json::from_slice(&body).map_err(|e| ApiError::invalid([format!("body: {e}")]))?;
    let mut errs = Vec::new();
    let by = who
        .reviewer(edit.by.as_deref())
        .map_err(|e| errs.push(e))
        .ok();
    let into = edit.merge_into.as_deref().map(str::trim);
    // The action with what the answer and the log call it.
    let action = match (edit.name.as_deref(), into) {
        (Some(n), None) => {
            issue_name("name", n, &mut errs).map(|n| (IssueAction::Rename(n), "rename", n))
        }
        (None, Some(i)) if i == id => {
            errs.push("merge_into: an issue cannot be merged into itself".into());
            None
        }
        (None, Some(i)) if !i.is_empty() => Some((IssueAction::MergeInto(i), "merge", i)),
        _ => {
            errs.push("give exactly one of name (rename) and merge_into (merge)".into());
            None
        }
    };
    let e = entity(&ctx, edit.entity.as_deref())?;
    let (Some(by), Some((action, what, detail)), true) = (by, action, errs.is_empty()) else {
        return Err(ApiError::invalid(errs));
    };
    let changed = ctx
        .store
        .change_issue(&IssueChange {
            entity: &e.id,
            issue: &id,
            action,
            by: &by,
            at_ms: chrono::Utc::now().timestamp_millis(),
        })
        .await
        .map_err(|e| ApiError::unavailable("issue change", e))?;
    if !changed {
        return Err(ApiError::NotFound(match into {
            Some(i) => format!("no issue {id:?} or {i:?} of {} to merge", e.id),
            None => format!("no issue {id:?} of {}", e.id),
        }));
    }
    tracing::info!(issue = %id, entity = %e.id, by = %by, action = what, detail = %detail, "issue changed");
    Ok(Json(serde_json::json!({
        "issue": id,
        "entity": e.id,
        "action": what,
        "detail": detail,
        "by": by,
    }))
    .into_response())
}

/// Where an analyst moves a story: exactly one of `to` (an issue) and
/// `new_name` (a new issue, a split).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StoryMove {
    /// The entity (default: the only configured one).
    #[serde(default)]
    entity: Option<String>,
    /// The issue it goes to.
    #[serde(default)]
    to: Option<String>,
    /// Found a new issue with this name for it.
    #[serde(default)]
    new_name: Option<String>,
    /// Who moves it: with the shared token only (an account is itself).
    #[serde(default)]
    by: Option<String>,
}

/// `PUT /api/v1/stories/{id}/issue` (`id`: the story, or any of its
/// articles): moves the story to the issue `to`, or splits it off into a
/// new issue named `new_name`. 404 when the story or the issue does not
/// exist.
pub(super) async fn move_story(
    State(ctx): State<Arc<Ctx>>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let m: StoryMove =
        serde_json::from_slice(&body).map_err(|e| ApiError::invalid([format!("body: {e}")]))?;
    let mut errs = Vec::new();
    let by = who.reviewer(m.by.as_deref()).map_err(|e| errs.push(e)).ok();
    let to = m.to.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let new_name = match (to, m.new_name.as_deref()) {
        (Some(_), None) => None,
        (None, Some(n)) => issue_name("new_name", n, &mut errs),
        _ => {
            errs.push("give exactly one of to (an issue) and new_name (a new issue)".into());
            None
        }
    };
    let e = entity(&ctx, m.entity.as_deref())?;
    let (Some(by), true) = (by, errs.is_empty()) else {
        return Err(ApiError::invalid(errs));
    };
    let Some(story) = ctx
        .store
        .story_of(&id)
        .await
        .map_err(|e| ApiError::unavailable("story", e))?
    else {
        return Err(ApiError::NotFound(format!("no story {id:?}")));
    };
    let at_ms = chrono::Utc::now().timestamp_millis();
    let target = to.map_or_else(
        || crate::stories::split_issue_id(&e.id, at_ms),
        str::to_owned,
    );
    let changed = ctx
        .store
        .change_issue(&IssueChange {
            entity: &e.id,
            issue: &target,
            action: IssueAction::MoveStory {
                story: &story,
                new_label: new_name,
            },
            by: &by,
            at_ms,
        })
        .await
        .map_err(|e| ApiError::unavailable("issue change", e))?;
    if !changed {
        return Err(ApiError::NotFound(format!(
            "story {story} is in no issue of {}, or there is no issue {target:?}",
            e.id
        )));
    }
    tracing::info!(story = %story, issue = %target, entity = %e.id, by = %by, "story moved");
    Ok(Json(serde_json::json!({
        "story": story,
        "issue": target,
        "entity": e.id,
        "new": new_name.is_some(),
        "by": by,
    }))
    .into_response())
}
