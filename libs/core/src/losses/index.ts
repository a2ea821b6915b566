export { DEFAULT_LOSS_COEFFICIENTS } from './coefficients.js';
export type { LossCoefficientName } from './coefficients.js';
export { loadBalancingLoss, nullAwareBalanceLoss, selectedGateBalanceLoss } from './balance.js';
export type { BalanceForm, LoadBalancingOptions } from './balance.js';
export { routerZLoss } from './z-loss.js';
export { cvSquared, importanceLoss, smoothLoad, loadLoss } from './cv-squared.js';
export { routingEntropyLoss } from './entropy.js';
