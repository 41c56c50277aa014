// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: sched: numa: Control enabling and disabling of NUMA balancing",
    author: "Mel Gorman",
    tags: [{ kind: "Signed-off-by", names: ["Mel Gorman"] }],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "Documentation/kernel-parameters.txt", added: 3, removed: 0 },
        { path: "include/linux/sched.h", added: 4, removed: 0 },
        { path: "init/Kconfig", added: 8, removed: 0 },
        { path: "kernel/sched/core.c", added: 33, removed: 15 },
        { path: "kernel/sched/fair.c", added: 3, removed: 0 },
        { path: "kernel/sched/features.h", added: 4, removed: 2 },
        { path: "mm/mempolicy.c", added: 46, removed: 0 },
      ],
      filesChanged: 7,
      insertions: 101,
      deletions: 17,
    },
    posted: {
      messageId: "1354875832-9700-42-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:44 +0000",
      where: "[PATCH 41/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
