#!/usr/bin/env python3
"""A stand-in Kubernetes API server for `hpaguard audit` runs outside Swift tests (CLITests, bench/audit.sh).

Serves, over plain HTTP on 127.0.0.1 (bearer token required), the lists of a directory laid out like
testdata/audit/cluster (hpas.json, deployments.json, events.json, ...) as the API server does: pages of `limit` with
`metadata.continue`, a namespace in the path narrowing the items, `fieldSelector=involvedObject.kind=...` on events,
list items without apiVersion/kind, and a Status body for 404 (an API that is not installed) and 401.

    kube_stand_in.py --dir testdata/audit/cluster [--port 0] [--generate 5000]

--generate N serves N generated HPAs (and their Deployments and events) instead of a directory. Prints the port on
its first line of output, then serves until killed. `--kubeconfig FILE` writes a kubeconfig pointing at it.
"""
import argparse
import json
import os
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "audit-test-token"
FILES = {
    ("autoscaling/v2", "horizontalpodautoscalers"): "hpas.json",
    ("apps/v1", "deployments"): "deployments.json",
    ("apps/v1", "statefulsets"): "statefulsets.json",
    ("apps/v1", "replicasets"): "replicasets.json",
    ("v1", "events"): "events.json",
    ("v1", "limitranges"): "limitranges.json",
    ("policy/v1", "poddisruptionbudgets"): "pdbs.json",
}


def load(directory):
    lists = {}
    for key, name in FILES.items():
        with open(f"{directory}/{name}") as f:
            lists[key] = json.load(f)["items"]
    return lists


def generate(count):
    """`count` HPAs over 50 namespaces, each with its Deployment; every 10th pinned at max, every 25th flapping."""
    hpas, deployments, events = [], [], []
    for i in range(count):
        ns, name = f"team-{i % 50:02d}", f"model-{i:05d}"
        pinned, flapping = i % 10 == 0, i % 25 == 0
        conditions = [
            {"type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale", "message": "recommended size matches current size",
             "lastTransitionTime": "2026-01-01T10:00:00Z"},
            {"type": "ScalingActive", "status": "True", "reason": "ValidMetricFound",
             "message": "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)",
             "lastTransitionTime": "2026-01-01T08:00:00Z"},
            {"type": "ScalingLimited", "status": "True" if pinned else "False", "reason": "TooManyReplicas" if pinned else "DesiredWithinRange",
             "message": "the desired replica count is more than the maximum replica count" if pinned else "the desired count is within the acceptable range",
             "lastTransitionTime": "2026-01-01T08:00:00Z"},
        ]
        current = 8 if pinned else 3
        hpas.append({
            "metadata": {"name": name, "namespace": ns, "uid": f"uid-{i}", "resourceVersion": str(1000 + i), "creationTimestamp": "2025-11-20T09:00:00Z"},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}, "minReplicas": 2, "maxReplicas": 8,
                     "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]},
            "status": {"currentReplicas": current, "desiredReplicas": current, "lastScaleTime": "2026-01-01T08:00:00Z", "conditions": conditions,
                       "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 95 if pinned else 60, "averageValue": "600m"}}}]},
        })
        deployments.append({
            "metadata": {"name": name, "namespace": ns, "uid": f"dep-{i}", "resourceVersion": str(5000 + i), "generation": 2},
            "spec": {"replicas": current, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [
                         {"name": "server", "image": "ghcr.io/example/model-server:1.0.0",
                          "resources": {"requests": {"cpu": "1", "memory": "2Gi"}},
                          "readinessProbe": {"httpGet": {"path": "/health", "port": 8000}}}]}}},
            "status": {"replicas": current, "readyReplicas": current, "availableReplicas": current},
        })
        if flapping:
            for j, (size, reason) in enumerate([(6, "cpu resource utilization (percentage of request) above target"), (2, "All metrics below target")]):
                events.append({
                    "metadata": {"name": f"{name}.{j}", "namespace": ns},
                    "involvedObject": {"kind": "HorizontalPodAutoscaler", "namespace": ns, "name": name, "apiVersion": "autoscaling/v2"},
                    "reason": "SuccessfulRescale", "message": f"New size: {size}; reason: {reason}", "type": "Normal", "count": 3,
                    "firstTimestamp": "2026-01-01T11:00:00Z", "lastTimestamp": f"2026-01-01T11:5{j}:00Z",
                    "source": {"component": "horizontal-pod-autoscaler"}})
    return {("autoscaling/v2", "horizontalpodautoscalers"): hpas, ("apps/v1", "deployments"): deployments,
            ("apps/v1", "statefulsets"): [], ("apps/v1", "replicasets"): [], ("v1", "events"): events,
            ("v1", "limitranges"): [], ("policy/v1", "poddisruptionbudgets"): []}


def parse(path):
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 3 and parts[0] == "api":
        version, rest = parts[1], parts[2:]
    elif len(parts) >= 4 and parts[0] == "apis":
        version, rest = f"{parts[1]}/{parts[2]}", parts[3:]
    else:
        return None
    namespace = None
    if len(rest) == 3 and rest[0] == "namespaces":
        namespace, rest = rest[1], rest[2:]
    if len(rest) != 1:
        return None
    return (version, rest[0]), namespace


def serve(lists, port, kubeconfig):
    bodies = {}  # (collection, namespace, selector) -> serialized items, so that pages are cheap

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def send(self, code, body):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def status(self, code, reason, message):
            self.send(code, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                             "message": message, "reason": reason, "code": code})

        def do_GET(self):
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self.status(401, "Unauthorized", "Unauthorized")
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/version":
                return self.send(200, {"major": "1", "minor": "33", "gitVersion": "v1.33.2"})
            parsed = parse(url.path)
            if not parsed or parsed[0] not in lists:
                return self.status(404, "NotFound", "the server could not find the requested resource")
            (version, resource), namespace = parsed
            query = urllib.parse.parse_qs(url.query)
            selector = query.get("fieldSelector", [""])[0]
            key = ((version, resource), namespace, selector)
            if key not in bodies:
                items = [i for i in lists[(version, resource)] if namespace is None or i["metadata"]["namespace"] == namespace]
                if selector.startswith("involvedObject.kind="):
                    kind = selector.split("=", 1)[1]
                    items = [i for i in items if i.get("involvedObject", {}).get("kind") == kind]
                bodies[key] = [json.dumps(i) for i in items]
            items = bodies[key]
            offset = int(query.get("continue", ["page-0"])[0][5:])
            limit = int(query.get("limit", [str(len(items) or 1)])[0])
            end = min(len(items), offset + limit)
            metadata = {"resourceVersion": "48213"}
            if end < len(items):
                metadata["continue"] = f"page-{end}"
                metadata["remainingItemCount"] = len(items) - end
            body = '{"kind":"List","apiVersion":%s,"metadata":%s,"items":[%s]}' % (
                json.dumps(version), json.dumps(metadata), ",".join(items[offset:end]))
            self.send(200, body.encode())

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    actual = server.server_address[1]
    if kubeconfig:
        # Written beside and renamed into place: a caller that waits for the file to exist then reads it whole.
        with open(kubeconfig + ".tmp", "w") as f:
            f.write(f"""apiVersion: v1
kind: Config
current-context: stand-in
contexts:
- name: stand-in
  context: {{cluster: stand-in, user: auditor, namespace: ml}}
clusters:
- name: stand-in
  cluster: {{server: "http://127.0.0.1:{actual}"}}
users:
- name: auditor
  user: {{token: {TOKEN}}}
""")
        os.replace(kubeconfig + ".tmp", kubeconfig)
    print(actual, flush=True)
    server.serve_forever()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir")
    parser.add_argument("--generate", type=int)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--kubeconfig")
    args = parser.parse_args()
    if not args.dir and not args.generate:
        sys.exit("--dir or --generate")
    serve(generate(args.generate) if args.generate else load(args.dir), args.port, args.kubeconfig)


if __name__ == "__main__":
    main()
