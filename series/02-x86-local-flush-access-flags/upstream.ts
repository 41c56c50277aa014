// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "x86: mm: only do a local tlb flush in ptep_set_access_flags()",
    author: "Rik van Riel",
    tags: [{ kind: "Signed-off-by", names: ["Rik van Riel"] }],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [{ path: "arch/x86/mm/pgtable.c", added: 8, removed: 1 }],
      filesChanged: 1,
      insertions: 8,
      deletions: 1,
    },
    posted: {
      messageId: "1354875832-9700-2-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:04 +0000",
      where: "[PATCH 01/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
