//! `[report]`: what the leadership report (`pantau report --format pdf`)
//! prints on its letterhead (kop surat) and under its signature.

use serde::Deserialize;

/// The report's settings.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    /// The letterhead and the signature block.
    #[serde(default)]
    pub letterhead: Letterhead,
}

/// The letterhead (kop surat) and signature of the PDF report.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Letterhead {
    /// The institution, first line, e.g. "KEMENTERIAN SOSIAL REPUBLIK INDONESIA".
    #[serde(default = "default_institution")]
    pub institution: String,
    /// The unit, second line, e.g. "BIRO HUBUNGAN MASYARAKAT".
    #[serde(default)]
    pub unit: Option<String>,
    /// Address, telephone, website: one line under the names.
    #[serde(default)]
    pub address: Option<String>,
    /// Where the report is signed, e.g. "Jakarta".
    #[serde(default)]
    pub city: Option<String>,
    /// The signatory's position, e.g. "Kepala Biro Hubungan Masyarakat".
    #[serde(default)]
    pub signatory_title: Option<String>,
    /// The signatory's name.
    #[serde(default)]
    pub signatory_name: Option<String>,
    /// The signatory's NIP.
    #[serde(default)]
    pub signatory_nip: Option<String>,
}

impl Default for Letterhead {
    fn default() -> Self {
        Letterhead {
            institution: default_institution(),
            unit: None,
            address: None,
            city: None,
            signatory_title: None,
            signatory_name: None,
            signatory_nip: None,
        }
    }
}

fn default_institution() -> String {
    "LAPORAN PEMANTAUAN MEDIA".into()
}

impl ReportConfig {
    /// Every problem, as (key, message).
    pub fn problems(&self) -> Vec<(String, String)> {
        let l = &self.letterhead;
        let mut out = Vec::new();
        let mut check = |key: &str, v: Option<&str>, max: usize| {
            if v.is_some_and(|v| v.trim().is_empty() || v.chars().count() > max) {
                out.push((
                    format!("report.letterhead.{key}"),
                    format!("1–{max} characters, or leave it out"),
                ));
            }
        };
        check("institution", Some(&l.institution), 120);
        check("unit", l.unit.as_deref(), 120);
        check("address", l.address.as_deref(), 200);
        check("city", l.city.as_deref(), 60);
        check("signatory_title", l.signatory_title.as_deref(), 120);
        check("signatory_name", l.signatory_name.as_deref(), 120);
        check("signatory_nip", l.signatory_nip.as_deref(), 40);
        out
    }
}
