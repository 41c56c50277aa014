// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: numa: Rate limit setting of pte_numa if node is saturated",
    author: "Mel Gorman",
    tags: [{ kind: "Signed-off-by", names: ["Mel Gorman"] }],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/migrate.h", added: 6, removed: 0 },
        { path: "kernel/sched/fair.c", added: 9, removed: 0 },
        { path: "mm/migrate.c", added: 20, removed: 0 },
      ],
      filesChanged: 3,
      insertions: 35,
      deletions: 0,
    },
    posted: {
      messageId: "1354875832-9700-35-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:37 +0000",
      where: "[PATCH 34/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
