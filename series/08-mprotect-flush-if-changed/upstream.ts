// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: "1233d588210737ed3696b44c26e71dfa44a6995a",
    subject: "mm: Optimize the TLB flush of sys_mprotect() and change_protection() users",
    author: "Ingo Molnar",
    tags: [{ kind: "Signed-off-by", names: ["Ingo Molnar"] }],
    tagsFrom: "the commit message",
    diffstat: {
      from: "the v10 mail",
      files: [{ path: "mm/mprotect.c", added: 3, removed: 1 }],
      filesChanged: 1,
      insertions: 3,
      deletions: 1,
    },
    posted: {
      messageId: "1354875832-9700-8-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:10 +0000",
      where: "[PATCH 07/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
