#!/usr/bin/python3
"""Checks deploy/kubernetes/*.yaml: valid YAML, and the promises docs/deploy.md makes about them
(probes on /ready and /health, a preStop hook, a grace period longer than the drain, HPA and
PDB present). Usage: check_manifests.py DEPLOY_DIR"""
import pathlib
import sys

import yaml


def main(deploy_dir):
    documents = []
    for path in sorted(pathlib.Path(deploy_dir, "kubernetes").glob("*.yaml")):
        documents += [d for d in yaml.safe_load_all(path.read_text()) if d]
    kinds = {d["kind"]: d for d in documents}
    for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"):
        assert kind in kinds, "missing " + kind
    pod = kinds["Deployment"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"
    assert container["lifecycle"]["preStop"]["exec"]["command"]
    env = {e["name"]: e.get("value") for e in container["env"]}
    keys = next(e for e in container["env"] if e["name"] == "RTTS_API_KEYS")
    assert keys["valueFrom"]["secretKeyRef"]["optional"] is False, "a pod on 0.0.0.0 must have its API keys"
    assert env["RTTS_HOST"] != "0.0.0.0" or "RTTS_ALLOW_NO_AUTH" not in env, "not open by default"
    drain_s = int(env["RTTS_SHUTDOWN_GRACE_MS"]) / 1000
    assert pod["terminationGracePeriodSeconds"] > drain_s + 5, "grace period must cover preStop + drain"
    assert container["resources"]["requests"]["cpu"] and container["resources"]["limits"]["memory"]
    labels = kinds["Deployment"]["spec"]["selector"]["matchLabels"]
    assert kinds["Service"]["spec"]["selector"] == labels
    assert kinds["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"] == labels
    assert kinds["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]["name"] == kinds["Deployment"]["metadata"]["name"]
    print("manifests ok:", ", ".join(sorted(kinds)))


if __name__ == "__main__":
    main(sys.argv[1])
