// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: Count the number of pages affected in change_protection()",
    author: "Peter Zijlstra",
    tags: [
      { kind: "Suggested-by", names: ["Ingo Molnar"] },
      { kind: "Signed-off-by", names: ["Peter Zijlstra", "Ingo Molnar"] },
    ],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/hugetlb.h", added: 6, removed: 2 },
        { path: "include/linux/mm.h", added: 3, removed: 0 },
        { path: "mm/hugetlb.c", added: 8, removed: 2 },
        { path: "mm/mprotect.c", added: 44, removed: 14 },
      ],
      filesChanged: 4,
      insertions: 61,
      deletions: 18,
    },
    posted: {
      messageId: "1354875832-9700-7-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:09 +0000",
      where: "[PATCH 06/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
