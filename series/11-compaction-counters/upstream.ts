// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: compaction: Add scanned and isolated counters for compaction",
    author: "Mel Gorman",
    tags: [
      { kind: "Signed-off-by", names: ["Mel Gorman"] },
      { kind: "Reviewed-by", names: ["Rik van Riel"] },
    ],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/vm_event_item.h", added: 2, removed: 0 },
        { path: "mm/compaction.c", added: 8, removed: 0 },
        { path: "mm/vmstat.c", added: 3, removed: 0 },
      ],
      filesChanged: 3,
      insertions: 13,
      deletions: 0,
    },
    posted: {
      messageId: "1354875832-9700-11-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:13 +0000",
      where: "[PATCH 10/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
