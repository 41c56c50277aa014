#!/usr/bin/env bash
# A change to what a package ships comes with a changeset. "Since the last release": the commits
# after the last one whose subject starts with "Version packages" (the commit that ran
# `changeset version`). If any of them changed a package's shipped sources (packages/*/src and the
# series' files, tests left out), one of them must add a .changeset/*.md.
set -euo pipefail
cd "$(dirname "$0")/.."
release=$(git log --format=%H --grep='^Version packages' -n 1)
[ -n "$release" ] || { echo "changeset check: no \"Version packages\" commit to compare with" >&2; exit 1; }
changed=$(git diff --name-only "$release" HEAD -- 'packages/*/src/**' 'series/**' ':!**/*.test.ts' ':!series/test/**' ':!**/CHANGELOG.md' ':!**/package.json')
[ -z "$changed" ] && { echo "changeset check: no package source changed since the last release"; exit 0; }
added=$(git diff --name-only --diff-filter=A "$release" HEAD -- '.changeset/*.md' ':!.changeset/README.md')
if [ -z "$added" ]; then
  echo "changeset check: package sources changed since the last release ($(git log -1 --format=%h "$release")) without a changeset:" >&2
  echo "$changed" | head -10 | sed 's/^/  /' >&2
  echo "Run \`pnpm changeset\`, describe the change for the packages' users, and commit the file it writes." >&2
  exit 1
fi
echo "changeset check: package sources changed since the last release, with $(echo "$added" | wc -l) changeset(s)"
