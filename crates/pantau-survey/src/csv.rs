//! The CSV form of survey responses: `respondent_id,date,unit,
//! [gender,age,education,occupation,]u1..u9`, one respondent per row.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::{FieldError, Response};

/// The columns every file must have.
pub fn required_columns() -> Vec<String> {
    let mut v: Vec<String> = ["respondent_id", "date", "unit"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    v.extend((1..=9).map(|i| format!("u{i}")));
    v
}

/// Header name → column, names lower-cased with spaces as underscores.
pub fn header_index(headers: &::csv::StringRecord) -> HashMap<String, usize> {
    headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.to_ascii_lowercase().replace(' ', "_"), i))
        .collect()
}

/// The required columns a header lacks.
pub fn missing_columns(headers: &HashMap<String, usize>) -> Vec<String> {
    required_columns()
        .into_iter()
        .filter(|c| !headers.contains_key(c))
        .collect()
}

/// Parses one CSV record into a response; every problem is reported.
pub fn parse_record(
    headers: &HashMap<String, usize>,
    rec: &::csv::StringRecord,
) -> Result<Response, Vec<FieldError>> {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|&i| rec.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let mut errs = Vec::new();
    let mut err = |field: &str, message: String| {
        errs.push(FieldError {
            field: field.to_owned(),
            message,
        })
    };
    let date = match get("date") {
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap_or_else(|_| {
            err("date", format!("{d:?} is not a date YYYY-MM-DD"));
            NaiveDate::default()
        }),
        None => {
            err("date", "required".into());
            NaiveDate::default()
        }
    };
    let mut answers = [None; 9];
    for (i, a) in answers.iter_mut().enumerate() {
        let field = format!("u{}", i + 1);
        if let Some(v) = get(&field) {
            match v.parse::<u8>() {
                Ok(n) => *a = Some(n),
                Err(_) => err(&field, format!("{v:?} is not an answer 1–4")),
            }
        }
    }
    let age = get("age").and_then(|a| match a.parse::<u8>() {
        Ok(n) => Some(n),
        Err(_) => {
            err("age", format!("{a:?} is not a number"));
            None
        }
    });
    let r = Response {
        respondent_id: get("respondent_id").unwrap_or("").to_owned(),
        date,
        unit: get("unit").unwrap_or("").to_owned(),
        gender: get("gender").map(str::to_owned),
        age,
        education: get("education").map(str::to_owned),
        occupation: get("occupation").map(str::to_owned),
        answers,
    };
    errs.extend(r.validate());
    if errs.is_empty() {
        Ok(r)
    } else {
        Err(errs)
    }
}
