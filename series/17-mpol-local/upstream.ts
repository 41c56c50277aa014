// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: mempolicy: Make MPOL_LOCAL a real policy",
    author: "Peter Zijlstra",
    tags: [
      { kind: "Requested-by", names: ["Christoph Lameter"] },
      { kind: "Reviewed-by", names: ["Rik van Riel"] },
      { kind: "Signed-off-by", names: ["Peter Zijlstra", "Ingo Molnar", "Mel Gorman"] },
    ],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/uapi/linux/mempolicy.h", added: 1, removed: 0 },
        { path: "mm/mempolicy.c", added: 6, removed: 3 },
      ],
      filesChanged: 2,
      insertions: 7,
      deletions: 3,
    },
    posted: {
      messageId: "1354875832-9700-17-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:19 +0000",
      where: "[PATCH 16/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
