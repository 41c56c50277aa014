// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: mempolicy: Implement change_prot_numa() in terms of change_protection()",
    author: "Mel Gorman",
    tags: [{ kind: "Signed-off-by", names: ["Mel Gorman"] }],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/huge_mm.h", added: 2, removed: 1 },
        { path: "include/linux/mm.h", added: 2, removed: 2 },
        { path: "mm/huge_memory.c", added: 12, removed: 2 },
        { path: "mm/mempolicy.c", added: 13, removed: 124 },
        { path: "mm/mprotect.c", added: 56, removed: 16 },
      ],
      filesChanged: 5,
      insertions: 85,
      deletions: 145,
    },
    posted: {
      messageId: "1354875832-9700-24-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:26 +0000",
      where: "[PATCH 23/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
