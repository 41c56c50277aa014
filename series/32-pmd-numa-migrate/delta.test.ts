/**
 * Step 32: a fault on a pmd_numa table pmd migrates the misplaced pages it finds (numa_migrate_prep
 * + migrate_misplaced_page per pte); at 31 the pmd path only accounted them. Pages of one node
 * under one pmd get a numa pmd from change_prot_numa (all_same_node, mm-mprotect).
 */
import { describe, it, expect } from "vitest";
import { bootAtStep } from "../boot.js";
import {
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MPOL_BIND,
  MPOL_DEFAULT,
  PAGE_SIZE,
  PMD_SIZE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_STREAM,
  nodeMask,
  pmdIndex,
  pageToNid,
  pteOffset,
} from "@balancenuma/include-linux";
import { pmdNuma } from "@balancenuma/arch-x86-pgtable";
import { NUMA_HINT_FAULTS, NUMA_PAGE_MIGRATE } from "@balancenuma/vmstat";

/** 8 pages on node 1 used by a task on node 0; change_prot_numa marks them; one touch. */
function pmdFault(step: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp: "never", debug: true });
  const t = k.createProcess({ cpusAllowed: 1n });
  const u = k.userApi(t);
  const raw = u.mmap(0, 2 * PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE;
  expect(u.setMempolicy(MPOL_BIND, nodeMask(1), 64)).toBe(0);
  expect(u.touch(a, 8, PAGE_SIZE, 64, true, TOUCH_STREAM)).toBe(8);
  expect(u.setMempolicy(MPOL_DEFAULT, null, 0)).toBe(0);
  const mm = t.mm!;
  const vma = k.memory.findVma(mm, a)!;
  expect(k.mempolicy.changeProtNuma(k, vma, a, a + PMD_SIZE)).toBe(8);
  expect(pmdNuma(k, mm.pgtable.pmdFlags[pmdIndex(a)])).toBe(true);
  expect(u.touch(a, 1, PAGE_SIZE, 64, false, TOUCH_STREAM)).toBe(1);
  k.checkInvariants();
  const pt = mm.pgtable;
  const nodes = [];
  for (let i = 0; i < 8; i++) nodes.push(pageToNid(k.pages, pt.ptePfn[pteOffset(pt, a + i * PAGE_SIZE)]));
  return { nodes, hint: k.vm.events[NUMA_HINT_FAULTS], migrated: k.vm.events[NUMA_PAGE_MIGRATE] };
}

describe("step 32: pmd-numa-migrate", () => {
  it("one pmd fault migrates all 8 pages to the faulting node at 32; at 31 they stay", () => {
    expect(pmdFault(31)).toEqual({ nodes: [1, 1, 1, 1, 1, 1, 1, 1], hint: 8, migrated: 0 });
    expect(pmdFault(32)).toEqual({ nodes: [0, 0, 0, 0, 0, 0, 0, 0], hint: 8, migrated: 8 });
  });
});
