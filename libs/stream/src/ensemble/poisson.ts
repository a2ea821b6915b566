import type { JavaRandom } from '../java-random.js';

/** e^λ of the last λ asked for (ensembles draw with one λ 100 times per instance). */
let lastLambda = NaN;
let expLambda = 0;

/** MOA MiscUtils.poisson (inversion by sequential search; λ < 100 only, which is all ensembles use). */
export function poisson(lambda: number, r: JavaRandom): number {
  if (!(lambda > 0 && lambda < 100)) throw new RangeError(`poisson: lambda must be in (0, 100), got ${lambda}`);
  let product = 1;
  let sum = 1;
  if (lambda !== lastLambda) {
    lastLambda = lambda;
    expLambda = Math.exp(lambda);
  }
  const threshold = r.nextDouble() * expLambda;
  let i = 1;
  const max = Math.max(100, 10 * Math.ceil(lambda));
  while (i < max && sum <= threshold) {
    product *= lambda / i;
    sum += product;
    i++;
  }
  return i - 1;
}
