#!/usr/bin/env bash
# Installs what the build and the tests need and is not yet on the machine: the system libraries (libyaml, PCRE2),
# and the real clients the tests drive (kubectl, pre-commit, jsonschema, kubernetes-validate, the Pulumi SDK, zsh,
# fish, groff, openssl, rsvg-convert). Run by scripts/test.sh, so the README's test command works on a new machine.
# Without root or without the registries it says in one line what is missing and how to get it, and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
need_apt=()
dpkg -s libyaml-dev >/dev/null 2>&1 || need_apt+=(libyaml-dev)
# CEL's regular expressions (PCRE2), and rsvg-convert to render the simulator's charts in its tests.
dpkg -s libpcre2-dev >/dev/null 2>&1 || need_apt+=(libpcre2-dev)
command -v rsvg-convert >/dev/null 2>&1 || need_apt+=(librsvg2-bin)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
# The webhook tests make their certificates with openssl.
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
# The shells whose completion scripts the integration tests load, and groff for the man page.
for tool in zsh fish; do command -v "$tool" >/dev/null 2>&1 || need_apt+=("$tool"); done
command -v groff >/dev/null 2>&1 || need_apt+=(groff-base)
command -v kubectl >/dev/null 2>&1 || need_apt+=(kubernetes-client)
if ((${#need_apt[@]})); then
    if [[ $(id -u) != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        echo "scripts/install-test-tools.sh: missing ${need_apt[*]}: install them (Debian: sudo apt-get install ${need_apt[*]}) and run again" >&2
        exit 1
    fi
    apt-get update -qq
    apt-get install -y -qq "${need_apt[@]}"
fi

# Python packages: installed only when one is missing, so a second run does not ask PyPI again.
python_packages=(jsonschema jsonpatch kubernetes-validate rfc3986-validator pre-commit pyyaml)
missing_python() {
    python3 - "$@" <<'PY'
import importlib.metadata, sys
missing = []
for name in sys.argv[1:]:
    try:
        importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        missing.append(name)
print(" ".join(missing))
PY
}
pulumi_packages=($(sed -e 's/[<>=~].*//' -e '/^#/d' -e '/^$/d' integrations/pulumi/requirements.txt))
if [[ -z "$(missing_python "${python_packages[@]}" "${pulumi_packages[@]}")" ]] && command -v pre-commit >/dev/null; then
    exit 0
fi
pip() {
    python3 -m pip install --quiet --disable-pip-version-check "$@" || {
        echo "scripts/install-test-tools.sh: could not install $* from PyPI: install it (python3 -m pip install $*) and run again" >&2
        exit 1
    }
}

# Python tools the tests drive as real clients (SARIF schema validation; deploy/ against the Kubernetes schemas).
pip jsonschema jsonpatch kubernetes-validate
# Makes jsonschema check the `uri` / `uri-reference` formats SARIF uses (otherwise they pass unchecked).
pip rfc3986-validator
# The integrations' real clients (Tests/IntegrationTests): pre-commit for the hooks, PyYAML to read action.yml as
# GitHub does; kubectl (with its built-in kustomize) for rendered streams. The machine image ships kubectl 1.32;
# Debian's own kubernetes-client (1.20, with a kustomize too old for `patches:` and buildMetadata) is only the
# fallback, so that the kustomize tests fail on what they test rather than on a missing command.
pip pre-commit pyyaml
# The Pulumi policy pack's SDK (pulumi-policy brings pulumi and grpcio); its tests need no Pulumi CLI or service.
pip -r integrations/pulumi/requirements.txt

