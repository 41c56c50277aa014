// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: numa: pte_numa() and pmd_numa()",
    author: "Andrea Arcangeli",
    tags: [
      { kind: "Acked-by", names: ["Rik van Riel"] },
      { kind: "Signed-off-by", names: ["Andrea Arcangeli", "Mel Gorman"] },
    ],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "arch/x86/include/asm/pgtable.h", added: 9, removed: 2 },
        { path: "include/asm-generic/pgtable.h", added: 106, removed: 0 },
        { path: "init/Kconfig", added: 33, removed: 0 },
      ],
      filesChanged: 3,
      insertions: 148,
      deletions: 2,
    },
    posted: {
      messageId: "1354875832-9700-13-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:15 +0000",
      where: "[PATCH 12/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: ["The v11 pull's diffstat has 4 more init/Kconfig lines than v10 (longer help text); which commit carries them was not established."],
  },
];
