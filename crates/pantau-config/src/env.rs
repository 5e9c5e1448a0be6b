//! The environment layer: `PANTAU__SECTION__KEY=value` sets `section.key`.
//!
//! A value that parses as a TOML scalar (number, boolean, quoted string,
//! array) takes that type; anything else is a string, so
//! `PANTAU__HTTP__LISTEN=0.0.0.0:9464` needs no quotes.

use std::collections::BTreeMap;

const PREFIX: &str = "PANTAU__";

/// Lays the variables over `root`, reporting `(variable, problem)` for each
/// that could not be applied; returns `(key path, variable)` for each that
/// was, so an error in its value names the variable, not the file.
pub(crate) fn overlay(
    root: &mut toml::Value,
    vars: &BTreeMap<String, String>,
    report: &mut impl FnMut(String, String),
) -> Vec<(String, String)> {
    let mut applied = Vec::new();
    for (name, raw) in vars {
        let Some(rest) = name.strip_prefix(PREFIX) else {
            continue;
        };
        let path: Vec<String> = rest.split("__").map(|s| s.to_ascii_lowercase()).collect();
        if path.iter().any(String::is_empty) {
            report(
                name.clone(),
                "empty key segment (use PANTAU__SECTION__KEY)".into(),
            );
            continue;
        }
        match set(root, &path, parse_scalar(raw)) {
            Ok(()) => applied.push((path.join("."), name.clone())),
            Err(msg) => report(name.clone(), msg),
        }
    }
    applied
}

fn parse_scalar(raw: &str) -> toml::Value {
    match toml::from_str::<toml::Table>(&format!("v = {raw}")) {
        Ok(mut t) => t
            .remove("v")
            .unwrap_or_else(|| toml::Value::String(raw.to_owned())),
        Err(_) => toml::Value::String(raw.to_owned()),
    }
}

fn set(root: &mut toml::Value, path: &[String], value: toml::Value) -> Result<(), String> {
    let mut node = root;
    for (i, seg) in path.iter().enumerate() {
        let table = node
            .as_table_mut()
            .ok_or_else(|| format!("`{}` is not a table", path[..i].join(".")))?;
        if i + 1 == path.len() {
            table.insert(seg.clone(), value);
            return Ok(());
        }
        node = table
            .entry(seg.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_nested_keys_with_types() {
        let mut v: toml::Value = toml::from_str("[http]\nlisten = \"127.0.0.1:1\"").unwrap();
        let vars: BTreeMap<String, String> = [
            ("PANTAU__HTTP__LISTEN", "0.0.0.0:9464"),
            ("PANTAU__BUS__CAPACITY", "16"),
            ("PANTAU__STORE__URL", "sqlite://x.db"),
            ("OTHER", "ignored"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let mut errs = Vec::new();
        let applied = overlay(&mut v, &vars, &mut |k, m| errs.push((k, m)));
        assert!(errs.is_empty(), "{errs:?}");
        assert!(applied.contains(&("http.listen".to_owned(), "PANTAU__HTTP__LISTEN".to_owned())));
        assert_eq!(v["http"]["listen"].as_str(), Some("0.0.0.0:9464"));
        assert_eq!(v["bus"]["capacity"].as_integer(), Some(16));
        assert_eq!(v["store"]["url"].as_str(), Some("sqlite://x.db"));
    }

    #[test]
    fn reports_impossible_paths() {
        let mut v: toml::Value = toml::from_str("data_dir = \"x\"").unwrap();
        let vars: BTreeMap<String, String> = [
            ("PANTAU__DATA_DIR__X".to_owned(), "1".to_owned()),
            ("PANTAU____X".to_owned(), "1".to_owned()),
        ]
        .into_iter()
        .collect();
        let mut errs = Vec::new();
        overlay(&mut v, &vars, &mut |k, m| errs.push((k, m)));
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs
            .iter()
            .any(|(k, m)| k == "PANTAU__DATA_DIR__X" && m.contains("not a table")));
    }
}
