/**
 * How an autodiff gradient is compared with its finite-difference estimate, shared by
 * {@link checkGradients} and {@link checkVariableGradients}.
 *
 * Each checked component must satisfy |analytic − numeric| ≤ rtol · max(|numeric|, floor): a relative error
 * on components whose magnitude is above `floor`, and an absolute error of rtol·floor below it. Unlike an
 * additive `atol + rtol·|x|` test, no absolute slack is granted to the components that matter, so a zeroed,
 * halved or 10 %-off component fails whenever it is at least `floor` in size.
 */
export interface GradientTolerance {
  /** Largest relative error allowed on a component (default 2e-2: a 10 % error fails with a 5× margin). */
  rtol?: number;
  /**
   * Magnitude below which a component is compared absolutely, with error ≤ rtol·floor (default 5e-3, about where float32 finite differences of an O(1) loss stop being exact). Raise
   * it only where finite differences are provably noisy at that scale, and say why.
   */
  floor?: number;
  /** @deprecated the additive absolute tolerance of the old check; read as `floor` (it never adds slack). */
  atol?: number;
}

export const DEFAULT_GRADIENT_TOLERANCE = { rtol: 2e-2, floor: 5e-3 } as const;

/** Resolves and validates a {@link GradientTolerance}. */
export function resolveGradientTolerance(owner: string, tol: GradientTolerance): { rtol: number; floor: number } {
  const rtol = tol.rtol ?? DEFAULT_GRADIENT_TOLERANCE.rtol;
  const floor = tol.floor ?? tol.atol ?? DEFAULT_GRADIENT_TOLERANCE.floor;
  if (!(rtol > 0 && rtol < 0.1)) throw new Error(`${owner}: options.rtol must be in (0, 0.1) so that a 10 % gradient error fails; got ${rtol}`);
  if (!(floor > 0 && Number.isFinite(floor))) throw new Error(`${owner}: options.floor must be a finite number > 0; got ${floor}`);
  return { rtol, floor };
}

/**
 * Throws naming the worst component (its coordinate, both values and the relative error) when any component
 * of `analytic` differs from `numeric` beyond the tolerance, or when either is not finite.
 */
export function expectGradientsClose(analytic: ArrayLike<number>, numeric: ArrayLike<number>, coordinates: readonly number[], tol: { rtol: number; floor: number }, label: string): void {
  if (analytic.length !== numeric.length || analytic.length !== coordinates.length) {
    throw new Error(`${label}: ${analytic.length} analytic, ${numeric.length} numeric values for ${coordinates.length} coordinates`);
  }
  let worst = -1;
  let worstRatio = 0;
  for (let i = 0; i < analytic.length; i++) {
    const ratio = Math.abs(analytic[i] - numeric[i]) / Math.max(Math.abs(numeric[i]), tol.floor);
    if (!(ratio <= tol.rtol) && (worst < 0 || !(ratio <= worstRatio))) {
      worst = i;
      worstRatio = ratio;
      if (Number.isNaN(ratio)) break;
    }
  }
  if (worst >= 0) {
    const a = analytic[worst];
    const n = numeric[worst];
    throw new Error(
      `${label}: element ${coordinates[worst]} is ${a}, finite differences give ${n} ` +
        `(error ${Math.abs(a - n).toExponential(3)} = ${(worstRatio * 100).toPrecision(3)} % of max(|numeric|, floor ${tol.floor}); allowed ${tol.rtol * 100} %)`,
    );
  }
}
