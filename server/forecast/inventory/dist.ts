/**
 * Lead-time-demand distributions: a point mass at 0 (obsolescence) mixed with a negative binomial
 * (Poisson when the dispersion vanishes). Integer quantiles are the smallest q with F(q) >= tau.
 * Pure, no I/O.
 */

/** p0 = P(LTD = 0 | the part is gone); the rest is NB with mean `nbMean` and variance m + alpha m^2. */
export interface LtdDist {
  zero: number;
  nbMean: number;
  alpha: number;
}

/** Below this the NB is a Poisson to double precision for the counts we see. */
const ALPHA_POISSON = 1e-9;
/** Past this mean the pmf recursion is slow; the normal approximation is exact enough there. */
const NORMAL_ABOVE = 1e5;

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Gamma(x) for x > 0 (Lanczos, g = 7; relative error ~1e-15). */
export function lgamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < 9; i++) s += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** The mixture's mean: the NB part carries all the demand. */
export const distMean = (d: LtdDist) => (1 - d.zero) * d.nbMean;

/** A mixture with overall mean `mean`: the NB part is scaled up so the zero mass does not remove demand. */
export function mixtureWithMean(mean: number, alpha: number, zero: number): LtdDist {
  if (!(mean > 0)) return { zero: 1, nbMean: 0, alpha };
  const z = Math.min(Math.max(zero, 0), 0.999);
  return { zero: z, nbMean: mean / (1 - z), alpha: Math.max(alpha, 0) };
}

/** log P(D = d) of the NB part (d a non-negative integer). */
export function nbLogPmf(d: number, m: number, alpha: number): number {
  if (!(m > 0)) return d === 0 ? 0 : -Infinity;
  if (alpha < ALPHA_POISSON) return d * Math.log(m) - m - lgamma(d + 1);
  const k = 1 / alpha;
  let head: number;
  if (d < 30) {
    // lgamma(d + k) - lgamma(k) - lgamma(d + 1) as a short product: most spare-part counts are tiny
    head = 0;
    for (let i = 0; i < d; i++) head += Math.log((k + i) / (i + 1));
  } else head = lgamma(d + k) - lgamma(k) - lgamma(d + 1);
  return head + k * Math.log(k / (k + m)) + d * Math.log(m / (k + m));
}

/** log P(D = d) of the mixture. */
export function logPmf(d: number, dist: LtdDist): number {
  const nb = nbLogPmf(d, dist.nbMean, dist.alpha);
  if (d !== 0 || dist.zero <= 0) return Math.log1p(-dist.zero) + nb;
  return Math.log(dist.zero + (1 - dist.zero) * Math.exp(nb));
}

/**
 * Walks the pmf upward from 0, one loop and no closure (it runs once per series and twice per window).
 * CDF mode (taus null): returns F(d), 1 when the walk stops far in the tail first. Quantile mode (taus
 * ascending): QUANT.out[j] = the smallest k with F(k) >= taus[j].
 */
function walk(dist: LtdDist, d: number, taus: ArrayLike<number> | null): number {
  const n = taus ? taus.length : 0;
  const m = dist.nbMean;
  if (!(m > 0)) {
    for (let j = 0; j < n; j++) QUANT.out[j] = 0;
    return 1;
  }
  const small = dist.alpha < ALPHA_POISSON;
  const k0 = small ? 0 : 1 / dist.alpha;
  const ratioP = small ? m : m / (k0 + m);
  let lp = nbLogPmf(0, m, dist.alpha);
  let F = dist.zero + (1 - dist.zero) * Math.exp(lp);
  const sd = Math.sqrt(m + dist.alpha * m * m);
  const stop = m + 80 * sd + 200;
  let j = 0;
  for (let k = 0; ; k++) {
    if (taus) {
      // 1e-12 absorbs the rounding of the running sum, so F(q) = tau exactly is not missed
      while (j < n && F >= taus[j] - 1e-12) QUANT.out[j++] = k;
      if (j >= n) return F;
    } else if (k >= d) return F;
    if (k > stop) {
      // gave up in a tail no level reaches (tau within rounding of 1): the last count seen
      while (j < n) QUANT.out[j++] = k;
      return 1;
    }
    // P(k+1)/P(k) for the NB (Poisson when k0 is 0)
    lp += Math.log(small ? ratioP / (k + 1) : ((k + k0) / (k + 1)) * ratioP);
    F += (1 - dist.zero) * Math.exp(lp);
  }
}
/** walk()'s quantiles, reused: no array per call. */
const QUANT = { out: new Float64Array(16) };

/** F(d) = P(D <= d); F(-1) = 0. */
export function cdf(d: number, dist: LtdDist): number {
  if (d < 0) return 0;
  if (dist.nbMean > NORMAL_ABOVE) return dist.zero + (1 - dist.zero) * normalCdf(d + 0.5, dist);
  return Math.min(1, walk(dist, d, null));
}

/**
 * Integer quantiles at `taus` sorted ascending, written to out[0..]: the smallest q with F(q) >= tau.
 * The allocation-free form planLtd uses once per series.
 */
export function quantilesSorted(dist: LtdDist, taus: ArrayLike<number>, out: number[] | Float64Array): void {
  if (dist.nbMean > NORMAL_ABOVE) {
    for (let j = 0; j < taus.length; j++) out[j] = normalQuantile(taus[j], dist);
    return;
  }
  if (QUANT.out.length < taus.length) QUANT.out = new Float64Array(taus.length);
  walk(dist, 0, taus);
  for (let j = 0; j < taus.length; j++) out[j] = QUANT.out[j];
}

/** Integer quantiles at `taus` (any order): the smallest q with F(q) >= tau, so monotone in tau. */
export function quantiles(dist: LtdDist, taus: readonly number[]): number[] {
  const order = taus.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0]);
  const sorted = order.map((o) => o[0]);
  const q = new Array<number>(taus.length).fill(0);
  quantilesSorted(dist, sorted, q);
  const out = new Array<number>(taus.length).fill(0);
  for (let j = 0; j < order.length; j++) out[order[j][1]] = q[j];
  return out;
}

function normalCdf(x: number, d: LtdDist): number {
  const sd = Math.sqrt(d.nbMean + d.alpha * d.nbMean * d.nbMean);
  return 0.5 * erfc(-(x - d.nbMean) / sd / Math.SQRT2);
}

function normalQuantile(tau: number, d: LtdDist): number {
  if (tau <= d.zero) return 0;
  const t = (tau - d.zero) / (1 - d.zero);
  const sd = Math.sqrt(d.nbMean + d.alpha * d.nbMean * d.nbMean);
  let lo = 0;
  let hi = Math.ceil(d.nbMean + 40 * sd);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (normalCdf(mid + 0.5, d) >= t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Complementary error function (Numerical Recipes erfcc, relative error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const p =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(p);
  return x >= 0 ? r : 2 - r;
}
