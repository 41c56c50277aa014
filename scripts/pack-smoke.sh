#!/usr/bin/env bash
# The packages as a user gets them (run after `pnpm build`): pack every package as it would be
# published, check each tarball with publint and are-the-types-wrong, install all of them with npm
# into an empty project and run, with plain node (no tsx, no source condition), a package README
# example and the CLI. Prints one line per check; exits non-zero on the first that fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/tarballs" "$tmp/app"
fail() { echo "pack smoke test: $*" >&2; exit 1; }

pnpm -r exec pnpm pack --pack-destination "$tmp/tarballs" >/dev/null
tarballs=("$tmp"/tarballs/*.tgz)
for t in "${tarballs[@]}"; do
  name=$(basename "$t")
  # No tests, no turbo logs, no vitest reports in what is shipped.
  if tar -tzf "$t" | grep -E '\.test\.ts$|(^|/)\.turbo/|(^|/)\.vitest/|testing\.ts$'; then fail "$name ships the files above"; fi
  "$root/node_modules/.bin/publint" run "$t" --strict --pack false >"$tmp/publint.log" 2>&1 || { cat "$tmp/publint.log"; fail "publint: $name"; }
  # ESM only: the packages have no require() entry point, which is what the default profile expects.
  "$root/node_modules/.bin/attw" "$t" --profile esm-only --format ascii --no-color >"$tmp/attw.log" 2>&1 || { cat "$tmp/attw.log"; fail "are-the-types-wrong: $name"; }
done
echo "pack smoke test: ${#tarballs[@]} tarballs pass publint and are-the-types-wrong"

cd "$tmp/app"
npm init -y >/dev/null
npm pkg set type=module
npm install --no-audit --no-fund --loglevel=error "${tarballs[@]}" >/dev/null
echo "pack smoke test: npm installed the tarballs"

# mm-page-alloc's README example, as it is written (plain JavaScript in a ```ts block).
awk '/^```ts$/{p=1;next} /^```$/{p=0} p' "$root/packages/mm-page-alloc/README.md" >example.mjs
node example.mjs >example.out || fail "the mm-page-alloc README example failed"
grep -qxF '[ 1, 0 ] 524288' example.out || { cat example.out; fail "the mm-page-alloc README example printed something else"; }

# The repository README's script example.
awk '/^```ts$/{p=1;next} /^```$/{if(p)exit} p' "$root/README.md" >readme.mjs
node readme.mjs >readme.out || fail "README.md's example failed"
grep -qE "^49 [1-9]" readme.out || { cat readme.out; fail "README.md's example printed no migration at step 49"; }

bn=node_modules/.bin/balancenuma
"$bn" run --step 49 -w numa02 --seconds 1 >run.out || fail "balancenuma run failed"
grep -q "^numa02.s own result:" run.out || { cat run.out; fail "balancenuma run printed no vmstat"; }
# review reads the series' changelogs and the model's sources from the installed packages.
"$bn" review 40 --no-runs >review.out || fail "balancenuma review failed"
grep -q "^## Changelog" review.out && grep -q "^## Code reading the gates" review.out || { head -40 review.out; fail "balancenuma review lacks its changelog or code"; }
# A closed pipe ends the listing quietly (by SIGPIPE, as Unix tools end: the pipeline's status is 141).
"$bn" series 2>series.err | head -1 >series.out || true
[ -s series.out ] && [ ! -s series.err ] || { cat series.err; fail "balancenuma series | head -1"; }
# A workload file: yaml and zod load on the first file parsed.
"$bn" run -f "$root/packages/cli/bench/scenarios/remote-sweep-page.yaml" --seconds 0.2 >file.out || fail "balancenuma run -f FILE failed"
grep -q "remote-sweep-page" file.out || { cat file.out; fail "balancenuma run -f FILE printed no report"; }
# The bundled command's worker threads (dist/bundle/worker.js) run a sweep's cells.
"$bn" sweep --steps 0-1 --workloads remote-memory --seconds 0.2 --machines "nodes=2,cpus=2,mem=64M" --jobs 2 --out sweep >sweep.out 2>&1 || { cat sweep.out; fail "balancenuma sweep --jobs 2 failed"; }
[ "$(wc -l <sweep/results.jsonl)" -eq 2 ] || { cat sweep.out; fail "balancenuma sweep --jobs 2 wrote no results for its 2 cells"; }
echo "pack smoke test: README examples, balancenuma run (a built-in and a workload file), review, sweep --jobs 2 and series | head -1 work from an npm installation"
