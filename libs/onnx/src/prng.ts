/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence of floats
 * in [0, 1) on every platform, so built models and test inputs are reproducible byte for byte.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills a Float32Array with uniform values in [-limit, limit) drawn from `random`. */
export function uniformFloat32(random: () => number, length: number, limit: number): Float32Array {
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = (random() * 2 - 1) * limit;
  return values;
}
