// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: mempolicy: Hide MPOL_NOOP and MPOL_MF_LAZY from userspace for now",
    author: "Mel Gorman",
    tags: [{ kind: "Signed-off-by", names: ["Mel Gorman"] }],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/uapi/linux/mempolicy.h", added: 1, removed: 3 },
        { path: "mm/mempolicy.c", added: 4, removed: 5 },
      ],
      filesChanged: 2,
      insertions: 5,
      deletions: 8,
    },
    posted: {
      messageId: "1354875832-9700-25-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:27 +0000",
      where: "[PATCH 24/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
