// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: "4fc3f1d66b1ef0d7b8dc11f4ff1cc510f78b37d6",
    subject: "mm/rmap, migration: Make rmap_walk_anon() and try_to_unmap_anon() more scalable",
    author: "Ingo Molnar",
    tags: [
      { kind: "Suggested-by", names: ["Linus Torvalds"] },
      { kind: "Signed-off-by", names: ["Ingo Molnar", "Mel Gorman"] },
    ],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/huge_mm.h", added: 1, removed: 1 },
        { path: "include/linux/rmap.h", added: 14, removed: 3 },
        { path: "mm/huge_memory.c", added: 3, removed: 3 },
        { path: "mm/ksm.c", added: 3, removed: 3 },
        { path: "mm/memory-failure.c", added: 2, removed: 2 },
        { path: "mm/migrate.c", added: 1, removed: 1 },
        { path: "mm/mmap.c", added: 1, removed: 1 },
        { path: "mm/mremap.c", added: 1, removed: 1 },
        { path: "mm/rmap.c", added: 24, removed: 24 },
      ],
      filesChanged: 9,
      insertions: 50,
      deletions: 39,
    },
    posted: {
      messageId: "1354875832-9700-50-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:52 +0000",
      where: "[PATCH 49/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: ["The last commit of the series: the v11 pull request names it as the tip of the branch (tag balancenuma-v11)."],
  },
];
