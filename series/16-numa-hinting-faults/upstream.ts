// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: "d10e63f29488b0f312a443f9507ea9b6fd3c9090",
    subject: "mm: numa: Create basic numa page hinting infrastructure",
    author: "Mel Gorman",
    tags: [
      { kind: "Signed-off-by", names: ["Mel Gorman"] },
      { kind: "Reviewed-by", names: ["Rik van Riel"] },
    ],
    tagsFrom: "the commit message",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/huge_mm.h", added: 10, removed: 0 },
        { path: "mm/huge_memory.c", added: 22, removed: 0 },
        { path: "mm/memory.c", added: 109, removed: 3 },
      ],
      filesChanged: 3,
      insertions: 141,
      deletions: 3,
    },
    posted: {
      messageId: "1354875832-9700-16-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:18 +0000",
      where: "[PATCH 15/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
