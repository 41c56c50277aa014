// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: numa: Structures for Migrate On Fault per NUMA migration rate limiting",
    author: "Andrea Arcangeli",
    tags: [{ kind: "Signed-off-by", names: ["Andrea Arcangeli", "Mel Gorman"] }],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/mmzone.h", added: 13, removed: 0 },
        { path: "mm/page_alloc.c", added: 5, removed: 0 },
      ],
      filesChanged: 2,
      insertions: 18,
      deletions: 0,
    },
    posted: {
      messageId: "1354875832-9700-33-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:35 +0000",
      where: "[PATCH 32/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
