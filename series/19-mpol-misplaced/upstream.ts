// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: mempolicy: Check for misplaced page",
    author: "Lee Schermerhorn",
    tags: [
      { kind: "Signed-off-by", names: ["Lee Schermerhorn", "Peter Zijlstra", "Ingo Molnar", "Mel Gorman"] },
      { kind: "Reviewed-by", names: ["Rik van Riel"] },
    ],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/mempolicy.h", added: 8, removed: 0 },
        { path: "include/uapi/linux/mempolicy.h", added: 1, removed: 0 },
        { path: "mm/mempolicy.c", added: 76, removed: 0 },
      ],
      filesChanged: 3,
      insertions: 85,
      deletions: 0,
    },
    posted: {
      messageId: "1354875832-9700-19-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:21 +0000",
      where: "[PATCH 18/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
