/**
 * The same fixed work timed on every run, so that runs on different days or machines can be
 * compared: a shared machine of the same kind is sometimes markedly slower, without a load average
 * or a steal time that says so. Two figures, because the two slow down apart: an integer loop (the
 * core's speed) and an allocation loop that keeps a few hundred thousand objects alive (memory and
 * garbage collection, which the gateway's large pages depend on). Each is the median of three.
 */
export interface Calibration {
  /** Milliseconds for 10⁸ iterations of an integer loop. */
  cpuMs: number;
  /** Milliseconds to allocate 4 million small objects, 600,000 of them alive at a time. */
  memoryMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

function integerLoop(): number {
  const started = performance.now();
  let x = 0;
  for (let i = 0; i < 1e8; i++) x = (x * 31 + i) | 0;
  if (x === 0.5) throw new Error('unreachable'); // keeps the loop from being dropped
  return performance.now() - started;
}

function allocationLoop(): number {
  const started = performance.now();
  const alive: { id: string; n: number; inner: { n: number } }[][] = [];
  for (let round = 0; round < 20; round++) {
    const batch = [];
    for (let i = 0; i < 200_000; i++) batch.push({ id: `user_${i}`, n: i, inner: { n: round } });
    alive.push(batch);
    if (alive.length > 3) alive.shift();
  }
  return performance.now() - started;
}

export function calibrate(): Calibration {
  return {
    cpuMs: Math.round(median([integerLoop(), integerLoop(), integerLoop()])),
    memoryMs: Math.round(median([allocationLoop(), allocationLoop(), allocationLoop()])),
  };
}

/** One line for a report. */
export function calibrationText(calibration: Calibration): string {
  return `calibration (the same fixed work on every run; larger is a slower machine): an integer loop ${calibration.cpuMs} ms, an allocation loop ${calibration.memoryMs} ms`;
}
