//! `GET /api/v1/report`: the KPI report of a period, as JSON or as a CSV,
//! Markdown or PDF (the leadership report) download.

use std::sync::Arc;

use crate::report::Document;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use pantau_model::Period;
use pantau_report::{Format, Lang};
use serde::Deserialize;

use super::{entity, ApiError, ApiResult, Ctx};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReportQuery {
    entity: Option<String>,
    period: String,
    format: Option<String>,
    lang: Option<String>,
}

/// `GET /api/v1/report?entity&period&format=json|csv|csv-id|md|pdf|docx&lang=id|en`
/// (`csv-id`: `;` between fields and decimal commas, for spreadsheets in an
/// Indonesian locale).
pub(super) async fn report(
    State(ctx): State<Arc<Ctx>>,
    Query(q): Query<ReportQuery>,
) -> ApiResult<Response> {
    let period: Period = q
        .period
        .parse()
        .map_err(|e| ApiError::BadRequest(format!("period: {e}")))?;
    match q.format.as_deref() {
        Some("pdf") => return leadership(&ctx, q.entity.as_deref(), &period, Document::Pdf).await,
        Some("docx") => {
            return leadership(&ctx, q.entity.as_deref(), &period, Document::Docx).await
        }
        _ => {}
    }
    let (format, content_type, ext) = match q.format.as_deref().unwrap_or("json") {
        "json" => (Format::Json, "application/json", "json"),
        "csv" | "csv-id" => (Format::Csv, "text/csv; charset=utf-8", "csv"),
        "md" | "markdown" => (Format::Markdown, "text/markdown; charset=utf-8", "md"),
        other => {
            return Err(ApiError::BadRequest(format!(
                "format: {other:?} is not json, csv, csv-id, md, pdf or docx"
            )))
        }
    };
    let lang = match q.lang.as_deref().unwrap_or("id") {
        "id" => Lang::Id,
        "en" => Lang::En,
        other => {
            return Err(ApiError::BadRequest(format!(
                "lang: {other:?} is not id or en"
            )))
        }
    };
    let e = entity(&ctx, q.entity.as_deref())?;
    let r = crate::report::compute(&ctx.store, e, &period, 10)
        .await
        .map_err(|e| ApiError::unavailable("report", format!("{e:#}")))?;
    let mut body = pantau_report::render(&r, format, lang);
    if q.format.as_deref() == Some("csv-id") {
        body = pantau_report::csv_for_indonesian_locale(&body);
    }
    let mut headers = vec![(header::CONTENT_TYPE, content_type.to_owned())];
    if format != Format::Json {
        headers.push((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"pantau-{}-{}.{ext}\"", e.id, period),
        ));
    }
    let mut resp = body.into_response();
    for (k, v) in headers {
        if let Ok(v) = v.parse() {
            resp.headers_mut().insert(k, v);
        }
    }
    Ok(resp)
}

/// The leadership report (Indonesian), as a PDF or Word download.
async fn leadership(
    ctx: &Ctx,
    entity_id: Option<&str>,
    period: &Period,
    document: Document,
) -> ApiResult<Response> {
    let e = entity(ctx, entity_id)?;
    let bytes = crate::report::leadership(&ctx.store, &ctx.state.config, e, period, 10, document)
        .await
        .map_err(|err| ApiError::unavailable("leadership report", format!("{err:#}")))?;
    let (content_type, ext) = match document {
        Document::Pdf => ("application/pdf", "pdf"),
        Document::Docx => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
    };
    let disposition = format!("attachment; filename=\"pantau-{}-{period}.{ext}\"", e.id);
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
