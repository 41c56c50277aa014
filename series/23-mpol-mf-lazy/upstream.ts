// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: "b24f53a0bea38b266d219ee651b22dba727c44ae",
    subject: "mm: mempolicy: Add MPOL_MF_LAZY",
    author: "Lee Schermerhorn",
    tags: [
      { kind: "Signed-off-by", names: ["Mel Gorman"] },
      { kind: "Reviewed-by", names: ["Rik van Riel"] },
    ],
    tagsFrom: "the commit message",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/mm.h", added: 5, removed: 0 },
        { path: "include/uapi/linux/mempolicy.h", added: 10, removed: 3 },
        { path: "mm/mempolicy.c", added: 170, removed: 15 },
      ],
      filesChanged: 3,
      insertions: 185,
      deletions: 18,
    },
    posted: {
      messageId: "1354875832-9700-23-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:25 +0000",
      where: "[PATCH 22/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: ["Credited to Lee Schermerhorn (From: line) but the original sign-offs were dropped."],
  },
];
