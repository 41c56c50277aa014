// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: migrate: Introduce migrate_misplaced_page()",
    author: "Peter Zijlstra",
    tags: [
      { kind: "Based-on-work-by", names: ["Lee Schermerhorn", "Peter Zijlstra", "Andrea Arcangeli"] },
      { kind: "Signed-off-by", names: ["Mel Gorman"] },
      { kind: "Reviewed-by", names: ["Rik van Riel"] },
    ],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/migrate.h", added: 11, removed: 0 },
        { path: "mm/migrate.c", added: 106, removed: 2 },
      ],
      filesChanged: 2,
      insertions: 117,
      deletions: 2,
    },
    posted: {
      messageId: "1354875832-9700-20-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:22 +0000",
      where: "[PATCH 19/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: ["The mail credits Peter Zijlstra (From: line) but his and the other original sign-offs were dropped: the result borrows heavily from AutoNUMA."],
  },
];
