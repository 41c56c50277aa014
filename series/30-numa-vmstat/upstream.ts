// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: "03c5a6e16322c997bf8f264851bfa3f532ad515f",
    subject: "mm: numa: Add pte updates, hinting and migration stats",
    author: "Mel Gorman",
    tags: [
      { kind: "Signed-off-by", names: ["Mel Gorman"] },
      { kind: "Acked-by", names: ["Rik van Riel"] },
    ],
    tagsFrom: "the v10 patch as quoted in full in a reply (Simon Jeons, 4 Jan 2013)",
    diffstat: {
      from: "the v10 patch as quoted in full in a reply (Simon Jeons, 4 Jan 2013)",
      files: [
        { path: "include/linux/vm_event_item.h", added: 6, removed: 0 },
        { path: "include/linux/vmstat.h", added: 8, removed: 0 },
        { path: "mm/huge_memory.c", added: 5, removed: 0 },
        { path: "mm/memory.c", added: 12, removed: 0 },
        { path: "mm/mempolicy.c", added: 2, removed: 0 },
        { path: "mm/migrate.c", added: 2, removed: 1 },
        { path: "mm/vmstat.c", added: 6, removed: 0 },
      ],
      filesChanged: 7,
      insertions: 41,
      deletions: 1,
    },
    posted: {
      messageId: "1354875832-9700-30-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012",
      where:
        "[PATCH 29/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; this one mail is missing from the kvack.org archive",
    },
    notes: [
      "The patch mail itself is missing from the kvack.org archive, so its send time was not read; the tags and counts come from the copy quoted in the reply.",
    ],
  },
];
