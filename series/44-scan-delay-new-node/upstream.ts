// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: "5bca23035391928c4c7301835accca3551b96cc2",
    subject: "mm: sched: numa: Delay PTE scanning until a task is scheduled on a new node",
    author: "Mel Gorman",
    tags: [{ kind: "Signed-off-by", names: ["Mel Gorman"] }],
    tagsFrom: "the commit message",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/mm_types.h", added: 10, removed: 0 },
        { path: "kernel/fork.c", added: 3, removed: 0 },
        { path: "kernel/sched/fair.c", added: 18, removed: 0 },
        { path: "kernel/sched/features.h", added: 3, removed: 1 },
      ],
      filesChanged: 4,
      insertions: 34,
      deletions: 1,
    },
    posted: {
      messageId: "1354875832-9700-44-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:46 +0000",
      where: "[PATCH 43/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
