// Statistics shared by the benchmark scripts.

/** Nearest-rank percentile of the finite values of `xs` (null when none). */
export const pct = (xs, p) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))];
};
