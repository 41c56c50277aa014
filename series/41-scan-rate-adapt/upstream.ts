// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: sched: Adapt the scanning rate if a NUMA hinting fault does not migrate",
    author: "Mel Gorman",
    tags: [{ kind: "Signed-off-by", names: ["Mel Gorman"] }],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/mm_types.h", added: 3, removed: 0 },
        { path: "include/linux/sched.h", added: 3, removed: 2 },
        { path: "kernel/sched/core.c", added: 1, removed: 0 },
        { path: "kernel/sched/fair.c", added: 21, removed: 8 },
        { path: "kernel/sysctl.c", added: 7, removed: 0 },
        { path: "mm/huge_memory.c", added: 1, removed: 1 },
        { path: "mm/memory.c", added: 8, removed: 4 },
      ],
      filesChanged: 7,
      insertions: 44,
      deletions: 15,
    },
    posted: {
      messageId: "1354875832-9700-41-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:43 +0000",
      where: "[PATCH 40/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
