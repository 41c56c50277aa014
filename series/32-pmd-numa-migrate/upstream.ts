// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: numa: Migrate pages handled during a pmd_numa hinting fault",
    author: "Mel Gorman",
    tags: [{ kind: "Signed-off-by", names: ["Mel Gorman"] }],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "mm/memory.c", added: 34, removed: 17 },
        { path: "mm/mprotect.c", added: 20, removed: 5 },
      ],
      filesChanged: 2,
      insertions: 54,
      deletions: 22,
    },
    posted: {
      messageId: "1354875832-9700-32-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:34 +0000",
      where: "[PATCH 31/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
