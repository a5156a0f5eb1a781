/** Small statistics helpers for the benchmarks. */

/** The q-quantile (0..1) of `xs`, with linear interpolation between the two nearest ranks. */
export function quantile(xs: readonly number[], q: number): number {
    if (xs.length === 0) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    const pos = (s.length - 1) * Math.min(1, Math.max(0, q));
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

export function sum(xs: readonly number[]): number {
    return xs.reduce((a, b) => a + b, 0);
}

export function mean(xs: readonly number[]): number {
    return xs.length === 0 ? NaN : sum(xs) / xs.length;
}

/** `n` values from `from` to `to`, evenly spaced on a log scale (both ends included). */
export function logSpaced(from: number, to: number, n: number): number[] {
    if (n < 2) return [from];
    const r = Math.pow(to / from, 1 / (n - 1));
    return Array.from({ length: n }, (_, i) => (i === n - 1 ? to : from * Math.pow(r, i)));
}
