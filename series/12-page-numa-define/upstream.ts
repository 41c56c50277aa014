// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: numa: define _PAGE_NUMA",
    author: "Andrea Arcangeli",
    tags: [
      { kind: "Signed-off-by", names: ["Andrea Arcangeli", "Mel Gorman"] },
      { kind: "Reviewed-by", names: ["Rik van Riel"] },
    ],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [{ path: "arch/x86/include/asm/pgtable_types.h", added: 20, removed: 0 }],
      filesChanged: 1,
      insertions: 20,
      deletions: 0,
    },
    posted: {
      messageId: "1354875832-9700-12-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:14 +0000",
      where: "[PATCH 11/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
