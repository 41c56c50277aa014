import { PROT_EXEC, PROT_READ, PROT_WRITE, VM_EXEC, VM_READ, VM_WRITE } from "./constants.js";

/** include/linux/mman.h: calc_vm_prot_bits: PROT_READ/WRITE/EXEC to VM_READ/WRITE/EXEC (other bits ignored). */
export function calcVmProtBits(prot: number): number {
  return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) | (prot & PROT_EXEC ? VM_EXEC : 0);
}
