// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: migrate: Add a tracepoint for migrate_pages",
    author: "Mel Gorman",
    tags: [
      { kind: "Signed-off-by", names: ["Mel Gorman"] },
      { kind: "Reviewed-by", names: ["Rik van Riel"] },
    ],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/migrate.h", added: 11, removed: 2 },
        { path: "include/trace/events/migrate.h", added: 51, removed: 0 },
        { path: "mm/compaction.c", added: 2, removed: 1 },
        { path: "mm/memory-failure.c", added: 2, removed: 1 },
        { path: "mm/memory_hotplug.c", added: 2, removed: 1 },
        { path: "mm/mempolicy.c", added: 4, removed: 2 },
        { path: "mm/migrate.c", added: 8, removed: 2 },
        { path: "mm/page_alloc.c", added: 2, removed: 1 },
      ],
      filesChanged: 8,
      insertions: 82,
      deletions: 10,
    },
    posted: {
      messageId: "1354875832-9700-10-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:12 +0000",
      where: "[PATCH 09/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
