#!/usr/bin/env bash
# Runs moto's own ECR tests (tests/test_ecr/test_ecr.py and test_ecr_scanning_config.py from
# github.com/getmoto/moto) in moto's server mode against `ecrkit-sim serve --lenient`, and
# prints the pass rate over the tests that were not skipped. Not part of CI: it needs Python,
# a moto checkout and a botocore checkout (Debian's botocore is too old for the newer ECR
# operations). Nothing of moto or botocore is copied into this repository: both are exported
# from their git directories into a temporary directory for the run.
#
#   tools/moto/runMotoTests.sh [pytest args...]
#
# Environment (defaults in brackets):
#   MOTO_GIT      a moto git directory or checkout [/work/.mirror/getmoto+moto/repo]
#   BOTOCORE_GIT  a botocore git directory or checkout [/work/.mirror/boto+botocore/repo]
#   PYTHON        a Python with pytest, boto3, responses, werkzeug, jinja2, xmltodict,
#                 python-dateutil, requests, cryptography, freezegun, yaml [/usr/bin/python3]
#                 Debian: apt-get install -y python3-pytest python3-boto3 python3-botocore
#                 python3-responses python3-werkzeug python3-jinja2 python3-xmltodict
#                 python3-dateutil python3-requests python3-cryptography python3-freezegun python3-yaml
#   KEEP_WORK=1   keep the temporary directory (exported sources, server log, JUnit report)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
moto_git=${MOTO_GIT:-/work/.mirror/getmoto+moto/repo}
botocore_git=${BOTOCORE_GIT:-/work/.mirror/boto+botocore/repo}
python=${PYTHON:-/usr/bin/python3}
work=$(mktemp -d "${TMPDIR:-/tmp}/ecrkit-moto.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# A git directory (bare or not) is exported at HEAD; a plain directory is used as it is.
# Mirrors may lack their largest files (moto's 4 MB IAM managed-policy list): those are left out,
# and the ECR tests do not need them.
export_tree() { # <source> <dest> <paths...>
  local src=$1 dest=$2
  shift 2
  mkdir -p "$dest"
  if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
    local excludes=()
    while read -r path; do excludes+=(":(exclude)$path"); done < <(
      git -C "$src" ls-tree -r HEAD "$@" | awk '{print $3}' | git -C "$src" cat-file --batch-check 2>/dev/null | awk '$2 == "missing" {print $1}' |
        while read -r sha; do git -C "$src" ls-tree -r HEAD "$@" | awk -v s="$sha" '$3 == s {print $4}'; done
    )
    git -C "$src" archive --format=tar HEAD "$@" "${excludes[@]}" | tar -x -C "$dest"
    echo "$(basename "$(dirname "$src")") $(git -C "$src" log -1 --format='%h %cs' HEAD)"
  else
    for p in "$@"; do mkdir -p "$dest/$(dirname "$p")" && cp -R "$src/$p" "$dest/$p"; done
    echo "$src"
  fi
}
moto_rev=$(export_tree "$moto_git" "$work/moto" moto tests/__init__.py tests/conftest.py tests/markers.py tests/test_ecr)
botocore_rev=$(export_tree "$botocore_git" "$work/botocore" botocore)

"$python" -c 'import pytest, boto3, responses, werkzeug, jinja2, xmltodict, dateutil, requests, cryptography, freezegun, yaml' || {
  echo "missing Python packages for $python (see the comment at the top of this script)" >&2
  exit 2
}

# The simulation server from source, lenient, on a free port; its first line is its URL.
node --conditions=@ecrkit/source --import tsx packages/simulation/src/bin/ecrkit-sim.ts serve --lenient --port 0 >"$work/server.log" 2>&1 &
server_pid=$!
url=
for _ in $(seq 1 200); do
  url=$(grep -m1 -o 'http://[0-9.]*:[0-9]*' "$work/server.log" || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/server.log" >&2; echo "the simulation server did not start" >&2; exit 1; }

cd "$work/moto"
set +e
env PYTHONPATH="$work/moto:$work/botocore" TEST_SERVER_MODE=true TEST_SERVER_MODE_ENDPOINT="$url" \
  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 \
  "$python" -m pytest -p no:cacheprovider -q -rfE --junitxml="$work/junit.xml" \
  tests/test_ecr/test_ecr.py tests/test_ecr/test_ecr_scanning_config.py "$@"
status=$?
set -e

"$python" - "$work/junit.xml" "$moto_rev" "$botocore_rev" <<'PY'
import sys, xml.etree.ElementTree as ET
cases = ET.parse(sys.argv[1]).getroot().iter("testcase")
passed = failed = skipped = 0
for c in cases:
    kinds = {child.tag for child in c}
    if "skipped" in kinds: skipped += 1
    elif kinds & {"failure", "error"}: failed += 1
    else: passed += 1
run = passed + failed
rate = 100.0 * passed / run if run else 0.0
print(f"moto {sys.argv[2]}, botocore {sys.argv[3]}")
print(f"ecrkit-sim --lenient: {passed} of {run} non-skipped moto ECR tests pass ({rate:.1f}%), {failed} fail, {skipped} skipped")
PY
exit $status
