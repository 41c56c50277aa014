// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: sched: numa: Implement slow start for working set sampling",
    author: "Peter Zijlstra",
    tags: [
      { kind: "Signed-off-by", names: ["Peter Zijlstra", "Ingo Molnar", "Mel Gorman"] },
      { kind: "Reviewed-by", names: ["Rik van Riel"] },
    ],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/sched.h", added: 1, removed: 0 },
        { path: "kernel/sched/core.c", added: 1, removed: 1 },
        { path: "kernel/sched/fair.c", added: 5, removed: 0 },
        { path: "kernel/sysctl.c", added: 7, removed: 0 },
      ],
      filesChanged: 4,
      insertions: 14,
      deletions: 1,
    },
    posted: {
      messageId: "1354875832-9700-29-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:31 +0000",
      where: "[PATCH 28/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
