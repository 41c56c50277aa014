// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: numa: Migrate on reference policy",
    author: "Mel Gorman",
    tags: [
      { kind: "Signed-off-by", names: ["Mel Gorman"] },
      { kind: "Acked-by", names: ["Rik van Riel"] },
    ],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/uapi/linux/mempolicy.h", added: 1, removed: 0 },
        { path: "mm/mempolicy.c", added: 36, removed: 2 },
      ],
      filesChanged: 2,
      insertions: 37,
      deletions: 2,
    },
    posted: {
      messageId: "1354875832-9700-31-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:33 +0000",
      where: "[PATCH 30/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
