/**
 * Turns one camera's score curve into alerts, one per event rather than one per snippet: an alert opens when
 * `minSnippets` consecutive snippets score ≥ `threshold`, stays open (its end extending) while scores stay ≥
 * `release` (hysteresis, below the threshold, so a flickering score does not split one event into many), and
 * closes after `closeAfter` consecutive snippets below `release`. Plain data, so it is checkpointed as JSON.
 */
export interface AlertPolicy {
  threshold: number;
  release: number;
  minSnippets: number;
  closeAfter: number;
}

export const DEFAULT_ALERT_POLICY: AlertPolicy = { threshold: 0.5, release: 0.4, minSnippets: 2, closeAfter: 2 };

export function checkAlertPolicy(policy: AlertPolicy): void {
  if (!(policy.threshold > 0 && policy.threshold < 1)) throw new RangeError(`alert threshold: expected 0 < θ < 1, got ${policy.threshold}`);
  if (!(policy.release > 0 && policy.release <= policy.threshold)) throw new RangeError(`alert release: expected 0 < release ≤ threshold (${policy.threshold}), got ${policy.release}`);
  for (const k of ['minSnippets', 'closeAfter'] as const) if (!Number.isInteger(policy[k]) || policy[k] < 1) throw new RangeError(`alert ${k}: expected a positive integer, got ${policy[k]}`);
}

export interface Alert {
  startSnippet: number;
  endSnippet: number;
  peakScore: number;
  /** Expert class at the peak. */
  expertClass: string;
  status: 'open' | 'closed';
}

export interface AlertTrackerState {
  /** A run of snippets above the threshold not yet long enough to alert. */
  candidate: { start: number; length: number; peakScore: number; expertClass: string } | null;
  open: Alert | null;
  below: number;
}

export const emptyAlertState = (): AlertTrackerState => ({ candidate: null, open: null, below: 0 });

/** What one snippet did to the camera's alerts: the alert to write (created or updated), if any. */
export type AlertChange = { kind: 'opened' | 'extended' | 'closed'; alert: Alert } | null;

/** Advances `state` (mutated) by one snippet; returns the alert change to persist. */
export function trackSnippet(state: AlertTrackerState, policy: AlertPolicy, snippet: number, score: number, expertClass: string): AlertChange {
  if (state.open !== null) {
    const alert = state.open;
    if (score >= policy.release) {
      state.below = 0;
      alert.endSnippet = snippet;
      if (score > alert.peakScore) {
        alert.peakScore = score;
        alert.expertClass = expertClass;
      }
      return { kind: 'extended', alert: { ...alert } };
    }
    state.below++;
    if (state.below >= policy.closeAfter) {
      state.open = null;
      state.below = 0;
      return { kind: 'closed', alert: { ...alert, status: 'closed' } };
    }
    return null;
  }
  if (score < policy.threshold) {
    state.candidate = null;
    return null;
  }
  const c = state.candidate ?? { start: snippet, length: 0, peakScore: score, expertClass };
  c.length++;
  if (score >= c.peakScore) {
    c.peakScore = score;
    c.expertClass = expertClass;
  }
  state.candidate = c;
  if (c.length < policy.minSnippets) return null;
  state.candidate = null;
  state.below = 0;
  state.open = { startSnippet: c.start, endSnippet: snippet, peakScore: c.peakScore, expertClass: c.expertClass, status: 'open' };
  return { kind: 'opened', alert: { ...state.open } };
}
