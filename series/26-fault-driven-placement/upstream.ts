// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: "cbee9f88ec1b8dd6b58f25f54e4f52c82ed77690",
    subject: "mm: numa: Add fault driven placement and migration",
    author: "Peter Zijlstra",
    tags: [
      { kind: "Signed-off-by", names: ["Mel Gorman"] },
      { kind: "Acked-by", names: ["Rik van Riel"] },
    ],
    tagsFrom: "the commit message",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "arch/sh/mm/Kconfig", added: 1, removed: 0 },
        { path: "arch/x86/Kconfig", added: 2, removed: 0 },
        { path: "include/linux/mm_types.h", added: 11, removed: 0 },
        { path: "include/linux/sched.h", added: 20, removed: 0 },
        { path: "kernel/sched/core.c", added: 13, removed: 0 },
        { path: "kernel/sched/fair.c", added: 125, removed: 0 },
        { path: "kernel/sched/features.h", added: 7, removed: 0 },
        { path: "kernel/sched/sched.h", added: 6, removed: 0 },
        { path: "kernel/sysctl.c", added: 22, removed: 2 },
        { path: "mm/huge_memory.c", added: 4, removed: 1 },
        { path: "mm/memory.c", added: 13, removed: 1 },
      ],
      filesChanged: 11,
      insertions: 224,
      deletions: 4,
    },
    posted: {
      messageId: "1354875832-9700-26-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:28 +0000",
      where: "[PATCH 25/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: ["Credited to Peter Zijlstra (From: line); his sign-off was dropped because the policy parts were thrown away."],
  },
];
