//! Survey responses.

use chrono::Utc;
use sqlx::Row;

use crate::{ms, Store, StoreError};

impl Store {
    /// Stores one survey response; `Ok(false)` when the respondent id is
    /// already stored (a duplicate is never counted twice).
    pub async fn insert_survey_response(
        &self,
        r: &pantau_survey::Response,
        source: &str,
    ) -> Result<bool, StoreError> {
        let a = |i: usize| r.answers[i].map(i64::from);
        let done = sqlx::query(
            "INSERT INTO survey_responses (respondent_id, unit, response_date, gender, age, education, \
             occupation, u1, u2, u3, u4, u5, u6, u7, u8, u9, source, stored_at) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18) \
             ON CONFLICT (respondent_id) DO NOTHING",
        )
        .bind(&r.respondent_id)
        .bind(&r.unit)
        .bind(r.date.format("%Y-%m-%d").to_string())
        .bind(&r.gender)
        .bind(r.age.map(i64::from))
        .bind(&r.education)
        .bind(&r.occupation)
        .bind(a(0))
        .bind(a(1))
        .bind(a(2))
        .bind(a(3))
        .bind(a(4))
        .bind(a(5))
        .bind(a(6))
        .bind(a(7))
        .bind(a(8))
        .bind(source)
        .bind(ms(Utc::now()))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Responses dated in `[from, to)`, optionally for one unit, oldest first.
    pub async fn survey_responses(
        &self,
        unit: Option<&str>,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<Vec<pantau_survey::Response>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM survey_responses WHERE response_date >= $1 AND response_date < $2 \
             AND ($3 IS NULL OR unit = $3) ORDER BY response_date, respondent_id",
        )
        .bind(from.format("%Y-%m-%d").to_string())
        .bind(to.format("%Y-%m-%d").to_string())
        .bind(unit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let date: String = row.try_get("response_date")?;
                let mut answers = [None; 9];
                for (i, a) in answers.iter_mut().enumerate() {
                    let v: Option<i64> = row.try_get(format!("u{}", i + 1).as_str())?;
                    *a = v.map(|v| v.clamp(0, 255) as u8);
                }
                let age: Option<i64> = row.try_get("age")?;
                Ok(pantau_survey::Response {
                    respondent_id: row.try_get("respondent_id")?,
                    date: chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                        .map_err(|e| StoreError::Corrupt(format!("response_date {date:?}: {e}")))?,
                    unit: row.try_get("unit")?,
                    gender: row.try_get("gender")?,
                    age: age.map(|a| a.clamp(0, 255) as u8),
                    education: row.try_get("education")?,
                    occupation: row.try_get("occupation")?,
                    answers,
                })
            })
            .collect()
    }

    /// Responses stored per unit, all time.
    pub async fn survey_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT unit, COUNT(*) AS n FROM survey_responses GROUP BY unit ORDER BY unit",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("unit")?, r.try_get("n")?)))
            .collect()
    }
}
