// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not established. Commit 57e0a0309160b1b4ebde9f3c6a867cd96ac368bf carries this change in a downstream tree (pandora-kernel) but was not confirmed in a copy of mainline.",
    },
    subject: "mm: numa: Introduce last_nid to the page frame",
    author: "Mel Gorman",
    tags: [{ kind: "Signed-off-by", names: ["Mel Gorman"] }],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/mm.h", added: 30, removed: 0 },
        { path: "include/linux/mm_types.h", added: 4, removed: 0 },
        { path: "mm/page_alloc.c", added: 2, removed: 0 },
      ],
      filesChanged: 3,
      insertions: 36,
      deletions: 0,
    },
    posted: {
      messageId: "1354875832-9700-37-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:39 +0000",
      where: "[PATCH 36/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
