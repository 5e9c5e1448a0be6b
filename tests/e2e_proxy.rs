//! `deploy/nginx/pantau.conf` in a real nginx (Debian's, installed by
//! `scripts/nginx.sh`) in front of a real pantau: the example passes
//! `nginx -t` as shipped (only its ports, certificates and upstream
//! addresses changed), the public name serves the survey and nothing of
//! the staff's, the staff name refuses addresses outside the bureau's
//! network, plain HTTP goes to HTTPS — and the survey's rate limit keys on
//! the client nginx names in `X-Forwarded-For` (`http.trusted_proxies`):
//! two clients behind the proxy have a limit each, a client's own forged
//! header changes nothing, and a forged header sent straight to pantau
//! from an untrusted address is ignored.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{free_port, repo, store_config, Proc, BIN};

const PUBLIC: &str = "survei.example.go.id";
const STAFF: &str = "pantau.humas.example.go.id";
const LIMIT: u32 = 3;

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The shipped example with the test's ports, certificate and upstreams.
fn site_config(dir: &Path, tls: u16, plain: u16, staff: u16, public: u16) -> String {
    let shipped = std::fs::read_to_string(repo().join("deploy/nginx/pantau.conf")).unwrap();
    let cert = dir.join("cert.pem").display().to_string();
    let key = dir.join("key.pem").display().to_string();
    let mut out = String::new();
    for line in shipped.lines() {
        let t = line.trim_start();
        let indent = &line[..line.len() - t.len()];
        let line = if t.starts_with("ssl_certificate_key ") {
            format!("{indent}ssl_certificate_key {key};")
        } else if t.starts_with("ssl_certificate ") {
            format!("{indent}ssl_certificate {cert};")
        } else {
            line.replace("listen 443 ", &format!("listen 127.0.0.1:{tls} "))
                .replace("listen 80;", &format!("listen 127.0.0.1:{plain};"))
                .replace(
                    "http://127.0.0.1:9464",
                    &format!("http://127.0.0.1:{staff}"),
                )
                .replace(
                    "http://127.0.0.1:8080",
                    &format!("http://127.0.0.1:{public}"),
                )
        };
        out.push_str(&line);
        out.push('\n');
    }
    assert!(out.contains(&format!("127.0.0.1:{public}")), "{out}");
    assert!(out.contains(&format!("127.0.0.1:{staff}")), "{out}");
    out
}

fn client(from: [u8; 4], tls: u16) -> reqwest::Client {
    let to = SocketAddr::from(([127, 0, 0, 1], tls));
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::from(from)))
        .resolve(PUBLIC, to)
        .resolve(STAFF, to)
        // The test's own self-signed certificate.
        .danger_accept_invalid_certs(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn submit(c: &reqwest::Client, url: &str, forged: Option<&str>) -> u16 {
    let mut req = c
        .post(url)
        .header("content-type", "application/json")
        .body("{}");
    if let Some(f) = forged {
        req = req.header("x-forwarded-for", f);
    }
    req.send().await.unwrap().status().as_u16()
}

async fn wait_up(url: &str) {
    let c = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if c.get(url).send().await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} did not answer");
}

#[tokio::test]
async fn the_nginx_example_fronts_pantau_and_the_rate_limit_keys_on_the_real_client() {
    let nginx = run(&repo().join("scripts/nginx.sh").display().to_string(), &[]);
    let nginx = nginx.trim();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (staff, public, tls, plain) = (free_port(), free_port(), free_port(), free_port());
    let cfg = store_config(
        dir,
        &format!(
            "[http]\nlisten = \"127.0.0.1:{staff}\"\npublic_listen = \"127.0.0.1:{public}\"\n\
             trusted_proxies = [\"127.0.0.1/32\"]\n[survey]\nrate_limit_per_minute = {LIMIT}\n"
        ),
    );
    let _pantau = Proc(
        Command::new(BIN)
            .args(["run", "-c", cfg.to_str().unwrap()])
            .stdout(std::fs::File::create(dir.join("pantau.log")).unwrap())
            .stderr(std::fs::File::create(dir.join("pantau.err")).unwrap())
            .stdin(Stdio::null())
            .spawn()
            .unwrap(),
    );

    // nginx with the shipped site, a self-signed certificate for both names.
    run(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            &format!("/CN={PUBLIC}"),
            "-keyout",
            dir.join("key.pem").to_str().unwrap(),
            "-out",
            dir.join("cert.pem").to_str().unwrap(),
        ],
    );
    std::fs::write(
        dir.join("pantau.conf"),
        site_config(dir, tls, plain, staff, public),
    )
    .unwrap();
    let temp = dir.join("nginx-temp");
    std::fs::create_dir_all(&temp).unwrap();
    // Workers may run as `nobody`: their temporary files need a place.
    std::fs::set_permissions(&temp, std::os::unix::fs::PermissionsExt::from_mode(0o777)).unwrap();
    let t = temp.display();
    std::fs::write(
        dir.join("nginx.conf"),
        format!(
            "worker_processes 1;\nerror_log {d}/nginx-error.log warn;\npid {d}/nginx.pid;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n  access_log off;\n  client_body_temp_path {t}/body;\n  proxy_temp_path {t}/proxy;\n  \
             fastcgi_temp_path {t}/fastcgi;\n  uwsgi_temp_path {t}/uwsgi;\n  scgi_temp_path {t}/scgi;\n  \
             include {d}/pantau.conf;\n}}\n",
            d = dir.display()
        ),
    )
    .unwrap();
    let conf = dir.join("nginx.conf");
    let conf = conf.to_str().unwrap();
    let prefix = format!("{}/", dir.display());
    let check = Command::new(nginx)
        .args(["-t", "-p", &prefix, "-c", conf])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "nginx -t refuses deploy/nginx/pantau.conf: {}",
        String::from_utf8_lossy(&check.stderr)
    );
    let _nginx = Proc(
        Command::new(nginx)
            .args(["-p", &prefix, "-c", conf, "-g", "daemon off;"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("nginx.out")).unwrap())
            .spawn()
            .unwrap(),
    );
    wait_up(&format!("http://127.0.0.1:{public}/survei")).await;
    wait_up(&format!("https://127.0.0.1:{tls}/")).await;

    let survey = format!("https://{PUBLIC}:{tls}/api/v1/survey/responses");
    let a = client([127, 0, 0, 3], tls);
    let b = client([127, 0, 0, 4], tls);

    // The public name: the form, and nothing of the staff's.
    let form = a
        .get(format!("https://{PUBLIC}:{tls}/survei"))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    // Its root is the form too.
    let root = a
        .get(format!("https://{PUBLIC}:{tls}/"))
        .send()
        .await
        .unwrap();
    assert_eq!(root.status(), 200);
    assert!(root.text().await.unwrap().contains("survei"));
    for path in [
        "/ringkasan",
        "/artikel",
        "/api/v1/kpi",
        "/metrics",
        "/api/v1/articles",
    ] {
        let s = a
            .get(format!("https://{PUBLIC}:{tls}{path}"))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(s, 404, "{path} on the public name");
    }
    // The staff name is for the bureau's network: 127.0.0.3 is not in it.
    let s = a
        .get(format!("https://{STAFF}:{tls}/"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(s, 403, "the staff site answered an outside address");
    // Plain HTTP goes to HTTPS.
    let r = a
        .get(format!("http://{PUBLIC}:{plain}/survei"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 301);
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with(&format!("https://{PUBLIC}")));

    // Client A uses up its limit (each refused as malformed, not as busy) …
    for i in 0..LIMIT {
        assert_eq!(submit(&a, &survey, None).await, 422, "A's submission {i}");
    }
    assert_eq!(submit(&a, &survey, None).await, 429, "A over its limit");
    // … its own X-Forwarded-For does not buy it another …
    assert_eq!(
        submit(&a, &survey, Some("198.51.100.9")).await,
        429,
        "a forged header through nginx"
    );
    // … and client B, behind the same proxy, has a limit of its own.
    assert_eq!(submit(&b, &survey, None).await, 422, "B was limited with A");

    // Straight to pantau from an address it does not trust: the header is
    // the client's word and is ignored, whatever it says.
    let direct = format!("http://127.0.0.1:{public}/api/v1/survey/responses");
    let c = reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 5)))
        .build()
        .unwrap();
    let mut statuses = Vec::new();
    for i in 0..=LIMIT {
        statuses.push(submit(&c, &direct, Some(&format!("203.0.113.{i}"))).await);
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
}
