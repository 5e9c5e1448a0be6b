#!/usr/bin/env python3
"""Static checks of deploy/ that promtool and amtool do not make.

Run by `scripts/monitoring.sh check` (python3 with PyYAML). Checks:

- every YAML file under deploy/ parses, and the dashboard JSON parses;
- the dashboard: uid "pantau-overview", a datasource variable (type
  datasource, query prometheus), the entity variable, every panel and every
  query on ${datasource}, unique panel ids, and no metric outside the list
  pantau exports (README.md, "Metrics", plus the planned IKM/Kafka ones);
- the alert rules: severity, bilingual summaries, description, runbook_url
  whose anchor exists in deploy/RUNBOOK.md; no unknown pantau_* metric;
- Alertmanager: grouping, send_resolved on every notifier;
- Grafana provisioning and compose.yaml: the files they mount exist.

Prints one line per problem and exits 1 if there is any.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"

# The metrics pantau exports or will export (planned: IKM, Kafka lag).
METRICS = {
    "pantau_articles_total",
    "pantau_negative_ratio",
    "pantau_window_articles",
    "pantau_window_media_articles",
    "pantau_window_media_negative_ratio",
    "pantau_negative_target_ratio",
    "pantau_feed_fetches_total",
    "pantau_feed_last_success_timestamp_seconds",
    "pantau_feed_consecutive_failures",
    "pantau_feed_items_total",
    "pantau_stage_latency_seconds",
    "pantau_rejected_total",
    "pantau_build_info",
    "pantau_ikm_score",
    "pantau_ikm_target",
    "pantau_survey_respondents_total",
    "pantau_kafka_consumer_lag",
    "pantau_negative_spike",
    "pantau_negative_over_target_probability",
    "pantau_negative_projected_ratio",
    "pantau_negative_budget_articles",
    "pantau_negative_audited_ratio",
    "pantau_digest_deliveries_total",
    "pantau_digests_total",
}
HISTOGRAMS = {"pantau_stage_latency_seconds"}
ALERTS = {
    "PantauNegativeAboveTarget",
    "PantauFeedDown",
    "PantauPipelineStalled",
    "PantauConsumerLagHigh",
    "PantauIkmBelowTarget",
    "PantauDown",
    "PantauNegativeSpike",
    "PantauNegativeProjectedAboveTarget",
    "PantauDigestUndelivered",
}

problems: list[str] = []


def problem(where: str, msg: str) -> None:
    problems.append(f"{where}: {msg}")


def rel(p: Path) -> str:
    return str(p.relative_to(ROOT))


def unknown_metrics(expr: str) -> set[str]:
    out = set()
    for name in re.findall(r"\bpantau_[a-zA-Z0-9_]+", expr):
        base = name
        for suffix in ("_bucket", "_sum", "_count"):
            if name.endswith(suffix) and name[: -len(suffix)] in HISTOGRAMS:
                base = name[: -len(suffix)]
        if base not in METRICS:
            out.add(name)
    return out


def load_yaml_files() -> dict[Path, object]:
    docs = {}
    for p in sorted(list(DEPLOY.rglob("*.yml")) + list(DEPLOY.rglob("*.yaml"))):
        try:
            docs[p] = yaml.safe_load(p.read_text(encoding="utf-8"))
        except yaml.YAMLError as e:
            problem(rel(p), f"invalid YAML: {e}")
    return docs


def runbook_anchors() -> set[str]:
    path = DEPLOY / "RUNBOOK.md"
    if not path.exists():
        problem(rel(path), "missing")
        return set()
    text = path.read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a (?:id|name)="([^"]+)"', text))
    for heading in re.findall(r"^#+\s+(.+)$", text, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


def walk_panels(panels):
    for p in panels:
        yield p
        yield from walk_panels(p.get("panels", []))


def check_dashboard() -> None:
    path = DEPLOY / "grafana/dashboards/pantau.json"
    where = rel(path)
    try:
        dash = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        problem(where, f"invalid JSON: {e}")
        return
    if dash.get("uid") != "pantau-overview":
        problem(where, f'uid is {dash.get("uid")!r}, want "pantau-overview"')
    variables = {v.get("name"): v for v in dash.get("templating", {}).get("list", [])}
    ds = variables.get("datasource")
    if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        problem(where, "needs a variable `datasource` of type datasource, query prometheus")
    ent = variables.get("entity")
    ent_query = ent and ent.get("query")
    if isinstance(ent_query, dict):
        ent_query = ent_query.get("query")
    if ent_query != "label_values(pantau_negative_ratio, entity)":
        problem(where, "needs variable `entity` = label_values(pantau_negative_ratio, entity)")
    for v in variables.values():
        if v.get("type") == "query" and (v.get("datasource") or {}).get("uid") != "${datasource}":
            problem(where, f"variable {v.get('name')} does not query ${{datasource}}")
    ids = set()
    n_queries = 0
    for p in walk_panels(dash.get("panels", [])):
        title = p.get("title", "?")
        if p.get("id") in ids:
            problem(where, f"duplicate panel id {p.get('id')} ({title})")
        ids.add(p.get("id"))
        if "gridPos" not in p:
            problem(where, f"panel {title!r} has no gridPos")
        targets = p.get("targets", [])
        if targets and (p.get("datasource") or {}).get("uid") != "${datasource}":
            problem(where, f"panel {title!r} does not use ${{datasource}}")
        for t in targets:
            n_queries += 1
            if (t.get("datasource") or {}).get("uid") != "${datasource}":
                problem(where, f"a query of panel {title!r} does not use ${{datasource}}")
            expr = t.get("expr", "")
            if not expr.strip():
                problem(where, f"empty query in panel {title!r}")
            for m in sorted(unknown_metrics(expr)):
                problem(where, f"panel {title!r} uses {m}, which pantau does not export")
    if n_queries == 0:
        problem(where, "no queries")


def check_rules(docs) -> None:
    anchors = runbook_anchors()
    seen = set()
    for path in sorted((DEPLOY / "prometheus/rules").glob("*.yml")):
        where = rel(path)
        doc = docs.get(path) or {}
        for group in doc.get("groups", []):
            for rule in group.get("rules", []):
                for m in sorted(unknown_metrics(rule.get("expr", ""))):
                    problem(where, f"{rule.get('alert') or rule.get('record')} uses unknown metric {m}")
                name = rule.get("alert")
                if not name:
                    continue
                seen.add(name)
                labels = rule.get("labels") or {}
                ann = rule.get("annotations") or {}
                if labels.get("severity") not in ("critical", "warning"):
                    problem(where, f"{name}: severity must be critical or warning")
                for key in ("summary_id", "summary_en", "description", "runbook_url"):
                    if not ann.get(key):
                        problem(where, f"{name}: annotation {key} missing")
                url = ann.get("runbook_url", "")
                anchor = url.rsplit("#", 1)[-1] if "#" in url else ""
                if anchor != f"runbook-{name.lower()}":
                    problem(where, f"{name}: runbook_url anchor should be runbook-{name.lower()}")
                elif "RUNBOOK.md#" not in url:
                    problem(where, f"{name}: runbook_url should point into deploy/RUNBOOK.md")
                elif anchor not in anchors:
                    problem("deploy/RUNBOOK.md", f"no section with anchor {anchor}")
    for name in sorted(ALERTS - seen):
        problem("deploy/prometheus/rules", f"alert {name} is missing")
    tests = "\n".join(p.read_text(encoding="utf-8") for p in (DEPLOY / "prometheus/tests").glob("*.yml"))
    for name in sorted(ALERTS):
        if f"alertname: {name}" not in tests:
            problem("deploy/prometheus/tests", f"no unit test for {name}")


def check_alertmanager(docs) -> None:
    path = DEPLOY / "alertmanager/alertmanager.yml"
    where = rel(path)
    doc = docs.get(path) or {}
    route = doc.get("route") or {}
    if route.get("group_by") != ["alertname", "entity"]:
        problem(where, "route.group_by should be [alertname, entity]")
    for r in doc.get("receivers", []):
        for kind, configs in r.items():
            if kind.endswith("_configs"):
                for c in configs:
                    if c.get("send_resolved") is not True:
                        problem(where, f"receiver {r['name']}: {kind} without send_resolved: true")
    if not doc.get("inhibit_rules"):
        problem(where, "no inhibit rules")


def check_mounts(docs) -> None:
    path = DEPLOY / "compose.yaml"
    where = rel(path)
    doc = docs.get(path) or {}
    services = doc.get("services") or {}
    for s in ("kafka", "pantau-ingest", "pantau-classify", "pantau-aggregate",
              "prometheus", "alertmanager", "grafana"):
        if s not in services:
            problem(where, f"service {s} missing")
    if (services.get("pantau-classify", {}).get("deploy") or {}).get("replicas") != 2:
        problem(where, "pantau-classify should have 2 replicas")
    for name, svc in services.items():
        for v in svc.get("volumes", []) or []:
            src = v.split(":", 1)[0] if isinstance(v, str) else v.get("source", "")
            if src.startswith("."):
                if not (DEPLOY / src).exists():
                    problem(where, f"{name} mounts {src}, which does not exist")
    # The broker in compose is the one the tests run (scripts/kafka.sh).
    tested = re.search(r"PANTAU_KAFKA_VERSION:-([0-9.]+)", (ROOT / "scripts/kafka.sh").read_text())
    for name in ("kafka", "kafka-init"):
        image = services.get(name, {}).get("image", "")
        if not tested or image != f"apache/kafka:{tested.group(1)}":
            problem(where, f"{name} runs {image!r}, not the tested apache/kafka:{tested and tested.group(1)}")
    env = (services.get("pantau-aggregate") or {}).get("environment") or {}
    if not str(env.get("PANTAU__STORE__URL", "")).startswith("postgres://") or "postgres" not in services:
        problem(where, "pantau-aggregate should store in the compose PostgreSQL (PANTAU__STORE__URL)")
    prom_cmd = " ".join(services.get("prometheus", {}).get("command", []))
    m = re.search(r"--config\.file=/etc/prometheus/(\S+)", prom_cmd)
    if not m or not (DEPLOY / "prometheus" / m.group(1)).exists():
        problem(where, "prometheus --config.file does not name a file in deploy/prometheus/")
    prov = docs.get(DEPLOY / "grafana/provisioning/dashboards/pantau.yml") or {}
    providers = prov.get("providers") or []
    if not any(p.get("type") == "file" and (p.get("options") or {}).get("path") for p in providers):
        problem("deploy/grafana/provisioning/dashboards/pantau.yml", "needs a file provider with options.path")
    dsd = docs.get(DEPLOY / "grafana/provisioning/datasources/prometheus.yml") or {}
    if not any(d.get("type") == "prometheus" for d in dsd.get("datasources") or []):
        problem("deploy/grafana/provisioning/datasources/prometheus.yml", "no prometheus datasource")


def main() -> int:
    docs = load_yaml_files()
    check_dashboard()
    check_rules(docs)
    check_alertmanager(docs)
    check_mounts(docs)
    for p in problems:
        print(f"  {p}")
    n_yaml = len(docs)
    if problems:
        print(f"deploy static checks: {len(problems)} problem(s)")
        return 1
    print(f"deploy static checks: {n_yaml} YAML files and the dashboard JSON OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
