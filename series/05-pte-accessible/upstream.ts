// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "x86/mm: Introduce pte_accessible()",
    author: "Rik van Riel",
    tags: [
      { kind: "Signed-off-by", names: ["Rik van Riel", "Peter Zijlstra", "Ingo Molnar"] },
      { kind: "Fixed-by", names: ["Linus Torvalds"] },
    ],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "arch/x86/include/asm/pgtable.h", added: 6, removed: 0 },
        { path: "include/asm-generic/pgtable.h", added: 4, removed: 0 },
      ],
      filesChanged: 2,
      insertions: 10,
      deletions: 0,
    },
    posted: {
      messageId: "1354875832-9700-5-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:07 +0000",
      where: "[PATCH 04/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
