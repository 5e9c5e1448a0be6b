//! `pantau health`: asks a running pantau whether it is ready (`/readyz`),
//! for container health checks and scripts on images without curl. Exit 0
//! when ready, 1 with the reason otherwise.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use pantau_config::Config;

/// Arguments of `pantau health`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The service's address; defaults to `http.listen` of the configuration
    /// (a wildcard address is asked on loopback).
    #[arg(long)]
    pub url: Option<String>,
    /// How long to wait for the answer.
    #[arg(long, default_value = "3s", value_parser = humantime::parse_duration)]
    pub timeout: Duration,
}

/// The URL `/readyz` is asked at for a listen address.
fn readyz_url(listen: SocketAddr) -> String {
    let ip = match listen.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/readyz", SocketAddr::new(ip, listen.port()))
}

/// Asks and reports.
pub fn run(args: Args, config: &Config) -> anyhow::Result<ExitCode> {
    let url = match args.url {
        Some(base) => format!("{}/readyz", base.trim_end_matches('/')),
        None => readyz_url(config.http.listen),
    };
    let client = reqwest::Client::builder().timeout(args.timeout).build()?;
    let answer = super::runtime()?.block_on(async {
        let response = client.get(&url).send().await?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        Ok::<_, reqwest::Error>((status, body))
    });
    match answer {
        Ok((status, _)) if status.is_success() => {
            println!("{url}: siap (ready)");
            Ok(ExitCode::SUCCESS)
        }
        Ok((status, body)) => {
            eprintln!("{url}: belum siap (not ready), {status}: {}", body.trim());
            Ok(ExitCode::FAILURE)
        }
        Err(e) => {
            eprintln!("{url}: tidak menjawab (no answer): {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wildcard_listen_is_asked_on_loopback() {
        assert_eq!(
            readyz_url("0.0.0.0:9464".parse().unwrap()),
            "http://127.0.0.1:9464/readyz"
        );
        assert_eq!(
            readyz_url("[::]:9464".parse().unwrap()),
            "http://[::1]:9464/readyz"
        );
        assert_eq!(
            readyz_url("10.0.0.5:80".parse().unwrap()),
            "http://10.0.0.5:80/readyz"
        );
    }
}
