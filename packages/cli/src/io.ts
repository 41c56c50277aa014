/** Where a command writes: standard output and error, and whether they are a terminal (progress bars, colour). */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
}
