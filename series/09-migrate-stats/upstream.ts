// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: compaction: Move migration fail/success stats to migrate.c",
    author: "Mel Gorman",
    tags: [
      { kind: "Signed-off-by", names: ["Mel Gorman"] },
      { kind: "Reviewed-by", names: ["Rik van Riel"] },
    ],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/vm_event_item.h", added: 3, removed: 1 },
        { path: "mm/compaction.c", added: 0, removed: 4 },
        { path: "mm/migrate.c", added: 6, removed: 0 },
        { path: "mm/vmstat.c", added: 4, removed: 3 },
      ],
      filesChanged: 4,
      insertions: 13,
      deletions: 8,
    },
    posted: {
      messageId: "1354875832-9700-9-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:11 +0000",
      where: "[PATCH 08/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
