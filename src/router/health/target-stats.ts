import { PeakEwma } from './peak-ewma.js';

/** Live numbers of one target (provider/model) that balancing reads. */
export class TargetStats {
  inFlight = 0;
  readonly latency: PeakEwma;
  /** Blended price per million tokens from the catalog; Infinity when unknown. */
  readonly price: number;

  constructor(decayMs: number, price: number) {
    this.latency = new PeakEwma(decayMs);
    this.price = price;
  }
}
