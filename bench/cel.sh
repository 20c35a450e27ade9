#!/bin/sh
# CEL micro-benchmark: evaluation of a typical custom rule on a small HPA, and parse+check of a 20-rule policy.
# Builds the CEL module in release mode, links a throwaway driver against it, prints ns per evaluation and ms per
# policy. Usage: bench/cel.sh [iterations]
set -eu
cd "$(dirname "$0")/.."
ITERATIONS="${1:-200000}"
LOCK=""
command -v hpaguard-build-lock >/dev/null 2>&1 && LOCK=hpaguard-build-lock
$LOCK swift build -c release --target CEL >/dev/null 2>&1 || { echo "bench/cel.sh: release build of CEL failed" >&2; exit 1; }
BIN=.build/release
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cat > "$WORK/main.swift" <<'SWIFT'
import CEL
import Foundation

let iterations = Int(CommandLine.arguments[1])!
let meta = CELObjectType(name: "ObjectMeta", fields: [
    "name": .string, "namespace": .string, "labels": .map(.string, .string), "annotations": .map(.string, .string),
])
let spec = CELObjectType(name: "HorizontalPodAutoscalerSpec", fields: [
    "minReplicas": .int, "maxReplicas": .int, "metrics": .list(.json), "behavior": .dyn,
    "scaleTargetRef": .object(CELObjectType(name: "CrossVersionObjectReference",
                                            fields: ["kind": .string, "name": .string, "apiVersion": .string])),
])
let hpa = CELObjectType(name: "HorizontalPodAutoscaler", fields: [
    "apiVersion": .string, "kind": .string, "metadata": .object(meta), "spec": .object(spec),
])
let env = CELEnvironment(variables: ["object": .object(hpa), "oldObject": .dyn, "params": .json])
let object = CELValue(json: .object([
    .init("apiVersion", .string("autoscaling/v2")), .init("kind", .string("HorizontalPodAutoscaler")),
    .init("metadata", .object([.init("name", .string("web")), .init("namespace", .string("prod-eu")),
                               .init("labels", .object([.init("app", .string("web"))]))])),
    .init("spec", .object([.init("minReplicas", .int(3)), .init("maxReplicas", .int(10)),
                           .init("scaleTargetRef", .object([.init("kind", .string("Deployment")),
                                                            .init("name", .string("web"))]))])),
]))

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let rule = "object.spec.minReplicas >= 3 && object.metadata.namespace.startsWith('prod-')"
let program = try env.compile(rule, expecting: .bool)
let values: [CELValue?] = program.variableNames.map { $0 == "object" ? object : CELValue.null }
var trues = 0
_ = try program.evaluate(values: values)
let evalTime = try seconds {
    for _ in 0..<iterations { if case .bool(true) = try program.evaluate(values: values) { trues += 1 } }
}
let byName: [String: CELValue] = ["object": object, "oldObject": .null, "params": .null]
let namedTime = try seconds {
    for _ in 0..<iterations { if case .bool(true) = try program.evaluate(byName) { trues += 1 } }
}
precondition(trues == 2 * iterations)

let rules = [
    "object.spec.minReplicas >= 3 && object.metadata.namespace.startsWith('prod-')",
    "object.spec.maxReplicas <= 4 * object.spec.minReplicas",
    "!has(object.metadata.labels) || object.metadata.labels[?'tier'].orValue('') != 'batch'",
    "object.spec.scaleTargetRef.kind in ['Deployment', 'StatefulSet']",
    "object.metadata.name.matches('^[a-z][-a-z0-9]*$')",
    "!has(object.spec.metrics) || object.spec.metrics.exists(m, m.type == 'External')",
    "object.spec.maxReplicas - object.spec.minReplicas >= 2",
    "oldObject == null || object.spec.minReplicas >= oldObject.spec.minReplicas",
    "'minReplicas is ' + string(object.spec.minReplicas) + ', production needs 3'",
    "object.metadata.labels.all(k, k.size() < 64)",
    "has(object.spec.behavior) && has(object.spec.behavior.scaleDown)",
    "object.spec.metrics.filter(m, m.type == 'Resource').size() <= 2",
    "quantity('500m').isLessThan(quantity('1'))",
    "object.metadata.namespace.split('-')[0] in ['prod', 'staging', 'dev']",
    "params == null || object.spec.maxReplicas <= params.maxReplicas",
    "object.spec.scaleTargetRef.name == object.metadata.name",
    "object.metadata.?annotations[?'hpaguard.io/owner'].hasValue()",
    "[object.spec.minReplicas, object.spec.maxReplicas].isSorted()",
    "object.metadata.name.lowerAscii() == object.metadata.name",
    "object.spec.minReplicas % 2 == 1 || object.spec.maxReplicas > 5",
]
let policyRounds = 200
let compileTime = try seconds {
    for _ in 0..<policyRounds { for r in rules { _ = try env.compile(r) } }
}
print(String(format: "evaluate (positional): %.0f ns per evaluation (%d runs)", evalTime / Double(iterations) * 1e9, iterations))
print(String(format: "evaluate (by name):    %.0f ns per evaluation", namedTime / Double(iterations) * 1e9))
print(String(format: "parse+check 20 rules:  %.3f ms per policy (%d rounds)", compileTime / Double(policyRounds) * 1e3, policyRounds))
SWIFT
swiftc -O -module-name celbench -I "$BIN/Modules" -I Sources/CPCRE2 \
    "$WORK/main.swift" "$BIN"/CEL.build/*.o -lpcre2-8 -o "$WORK/celbench" 2>&1 | grep -v warning || true
"$WORK/celbench" "$ITERATIONS"
