// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: { unknown: "not found: no mirror of the mainline history searched (kernel.org mirrors on googlesource, Android and vendor trees, gitweb copies) showed this commit" },
    subject: "mm: sched: numa: Control enabling and disabling of NUMA balancing if !SCHED_DEBUG",
    author: "Mel Gorman",
    tags: [
      { kind: "Signed-off-by", names: ["Mel Gorman"] },
    ],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "kernel/sched/core.c", added: 9, removed: 0 },
        { path: "kernel/sched/sched.h", added: 7, removed: 1 },
      ],
      filesChanged: 2,
      insertions: 16,
      deletions: 1,
    },
    posted: {
      messageId: "1354875832-9700-43-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:45 +0000",
      where: "[PATCH 42/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
