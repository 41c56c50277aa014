// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: "b32967ff101a7508f70be8de59b278d4df92fa00",
    subject: "mm: numa: Add THP migration for the NUMA working set scanning fault case.",
    author: "Mel Gorman",
    tags: [{ kind: "Signed-off-by", names: ["Mel Gorman"] }],
    tagsFrom: "the commit message",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/migrate.h", added: 15, removed: 0 },
        { path: "mm/huge_memory.c", added: 40, removed: 19 },
        { path: "mm/internal.h", added: 5, removed: 2 },
        { path: "mm/memcontrol.c", added: 5, removed: 2 },
        { path: "mm/migrate.c", added: 190, removed: 41 },
      ],
      filesChanged: 5,
      insertions: 255,
      deletions: 64,
    },
    posted: {
      messageId: "1354875832-9700-45-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:47 +0000",
      where: "[PATCH 44/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [
      "Heavily based on a patch by Peter Zijlstra with fixes from Ingo Molnar, Hugh Dickins and Johannes Weiner, whose sign-offs were removed; two fixes by Hillf Danton are noted in brackets.",
    ],
  },
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: numa: Add THP migration for the NUMA working set scanning fault case build fix",
    author: "Mel Gorman",
    tags: [{ kind: "Signed-off-by", names: ["David Rientjes", "Mel Gorman"] }],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/migrate.h", added: 9, removed: 7 },
        { path: "mm/migrate.c", added: 2, removed: 0 },
      ],
      filesChanged: 2,
      insertions: 11,
      deletions: 7,
    },
    posted: {
      messageId: "1354875832-9700-46-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:48 +0000",
      where: "[PATCH 45/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: ["Folded into this step. The mail has no From: line and David Rientjes' sign-off comes first; the v11 pull credits Mel Gorman."],
  },
];
