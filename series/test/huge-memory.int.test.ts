/** mm-huge-memory inside a booted kernel (real faults, madvise, munmap, mprotect), invariants checked. */
import { describe, it, expect } from "vitest";
import { HPAGE_SIZE, MADV_NOHUGEPAGE, MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PROT_READ, PROT_WRITE, TOUCH_STREAM } from "@balancenuma/include-linux";
import { NR_ANON_TRANSPARENT_HUGEPAGES, THP_FAULT_ALLOC, THP_SPLIT } from "@balancenuma/vmstat";
import { bootAtStep } from "../boot.js";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;

function thpSetup(thp: "always" | "madvise" | "never", advice = -1) {
  const k = bootAtStep({ debug: true, thp });
  const t = k.createProcess({ cpusAllowed: 1n });
  const u = k.userApi(t);
  const raw = u.mmap(0, 3 * HPAGE_SIZE, RW, ANON);
  const a = Math.ceil(raw / HPAGE_SIZE) * HPAGE_SIZE; // a 2 MiB-aligned 2 MiB inside the mapping
  if (advice >= 0) expect(u.madvise(raw, 3 * HPAGE_SIZE, advice)).toBe(0);
  expect(u.touch(a, 512, PAGE_SIZE, 64, true, TOUCH_STREAM)).toBe(512);
  return { k, t, u, a };
}

describe("THP in a booted kernel", () => {
  it('"always" backs an aligned 2 MiB with one huge page; "never" and MADV_NOHUGEPAGE do not', () => {
    const always = thpSetup("always");
    expect(always.k.vm.events[THP_FAULT_ALLOC]).toBe(1);
    expect(always.k.vm.nodeStat[0][NR_ANON_TRANSPARENT_HUGEPAGES]).toBe(1);
    always.k.checkInvariants();
    expect(thpSetup("never").k.vm.events[THP_FAULT_ALLOC]).toBe(0);
    expect(thpSetup("always", MADV_NOHUGEPAGE).k.vm.events[THP_FAULT_ALLOC]).toBe(0);
  });

  it("munmap of part of a THP splits it; mprotect of all of it keeps it whole", () => {
    const { k, u, a } = thpSetup("always");
    expect(u.mprotect(a, HPAGE_SIZE, PROT_READ)).toBe(0);
    expect(k.vm.events[THP_SPLIT]).toBe(0);
    expect(u.munmap(a + HPAGE_SIZE - 8 * PAGE_SIZE, 8 * PAGE_SIZE)).toBe(0);
    expect(k.vm.events[THP_SPLIT]).toBe(1);
    expect(k.vm.nodeStat[0][NR_ANON_TRANSPARENT_HUGEPAGES]).toBe(0);
    k.checkInvariants();
    expect(u.touch(a, 504, PAGE_SIZE, 64, false, TOUCH_STREAM)).toBe(504);
    k.runFor(8_000_000);
  });
});
