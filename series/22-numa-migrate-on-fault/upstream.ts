// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: "4daae3b4b9e49b7e0935499a352f1c59d90287d2",
    subject: "mm: mempolicy: Use _PAGE_NUMA to migrate pages",
    author: "Mel Gorman",
    tags: [
      { kind: "Based-on-work-by", names: ["Peter Zijlstra"] },
      { kind: "Signed-off-by", names: ["Mel Gorman"] },
    ],
    tagsFrom: "the commit message",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/huge_mm.h", added: 5, removed: 4 },
        { path: "mm/huge_memory.c", added: 28, removed: 3 },
        { path: "mm/memory.c", added: 27, removed: 5 },
      ],
      filesChanged: 3,
      insertions: 60,
      deletions: 12,
    },
    posted: {
      messageId: "1354875832-9700-22-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:24 +0000",
      where: "[PATCH 21/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
