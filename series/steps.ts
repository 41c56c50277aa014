// The steps in series order (series/series lists the same folders; a test checks they agree).
import s01 from "./01-pte-alloc-check/step.js";
import s02 from "./02-x86-local-flush-access-flags/step.js";
import s03 from "./03-x86-no-flush-access-flags/step.js";
import s04 from "./04-generic-local-flush-access-flags/step.js";
import s05 from "./05-pte-accessible/step.js";
import s06 from "./06-flush-accessible-only/step.js";
import s07 from "./07-change-protection-count/step.js";
import s08 from "./08-mprotect-flush-if-changed/step.js";
import s09 from "./09-migrate-stats/step.js";
import s10 from "./10-migrate-tracepoint/step.js";
import s11 from "./11-compaction-counters/step.js";
import s12 from "./12-page-numa-define/step.js";
import s13 from "./13-pte-numa-helpers/step.js";
import s14 from "./14-gup-numa-faults/step.js";
import s15 from "./15-thp-split-numa/step.js";
import s16 from "./16-numa-hinting-faults/step.js";
import s17 from "./17-mpol-local/step.js";
import s18 from "./18-mpol-noop/step.js";
import s19 from "./19-mpol-misplaced/step.js";
import s20 from "./20-migrate-misplaced-page/step.js";
import s21 from "./21-misplaced-target-full/step.js";
import s22 from "./22-numa-migrate-on-fault/step.js";
import s23 from "./23-mpol-mf-lazy/step.js";
import s24 from "./24-change-prot-numa/step.js";
import s25 from "./25-hide-noop-lazy/step.js";
import s26 from "./26-fault-driven-placement/step.js";
import s27 from "./27-wss-rate/step.js";
import s28 from "./28-scan-present-ptes/step.js";
import s29 from "./29-wss-slow-start/step.js";
import s30 from "./30-numa-vmstat/step.js";
import s31 from "./31-migrate-on-reference/step.js";
import s32 from "./32-pmd-numa-migrate/step.js";
import s33 from "./33-ratelimit-structs/step.js";
import s34 from "./34-ratelimit-migrate/step.js";
import s35 from "./35-ratelimit-pte-numa/step.js";
import s36 from "./36-scan-period-increase/step.js";
import s37 from "./37-last-nid/step.js";
import s38 from "./38-thp-split-last-nid/step.js";
import s39 from "./39-migrate-last-nid/step.js";
import s40 from "./40-two-stage-filter/step.js";
import s41 from "./41-scan-rate-adapt/step.js";
import s42 from "./42-numa-balancing-control/step.js";
import s43 from "./43-numa-balancing-control-nodebug/step.js";
import s44 from "./44-scan-delay-new-node/step.js";
import s45 from "./45-thp-migrate/step.js";
import s46 from "./46-migrate-fail-accounting/step.js";
import s47 from "./47-thp-ratelimit-accounting/step.js";
import s48 from "./48-anon-vma-rwsem/step.js";
import s49 from "./49-rmap-walk-read-lock/step.js";
import type { Step } from "./step.js";

export const STEPS: readonly Step[] = [
  s01,
  s02,
  s03,
  s04,
  s05,
  s06,
  s07,
  s08,
  s09,
  s10,
  s11,
  s12,
  s13,
  s14,
  s15,
  s16,
  s17,
  s18,
  s19,
  s20,
  s21,
  s22,
  s23,
  s24,
  s25,
  s26,
  s27,
  s28,
  s29,
  s30,
  s31,
  s32,
  s33,
  s34,
  s35,
  s36,
  s37,
  s38,
  s39,
  s40,
  s41,
  s42,
  s43,
  s44,
  s45,
  s46,
  s47,
  s48,
  s49,
];
